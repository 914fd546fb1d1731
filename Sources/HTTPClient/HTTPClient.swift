// The HTTPClient layer; see README "Architecture".
enum HTTPClientLayer {}
