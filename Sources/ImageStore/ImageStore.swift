// The ImageStore layer; see README "Architecture".
enum ImageStoreLayer {}
