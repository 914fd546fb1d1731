// The EvoLinkSim layer; see README "Architecture".
enum EvoLinkSimLayer {}
