// The Store layer; see README "Architecture".
enum StoreLayer {}
