// The HTTPServer layer; see README "Architecture".
enum HTTPServerLayer {}
