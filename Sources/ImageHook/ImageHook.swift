// The ImageHook layer; see README "Architecture".
enum ImageHookLayer {}
