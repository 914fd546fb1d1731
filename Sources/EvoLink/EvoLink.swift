// The EvoLink layer; see README "Architecture".
enum EvoLinkLayer {}
