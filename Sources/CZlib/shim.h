#ifndef IMAGEHOOK_CZLIB_SHIM_H
#define IMAGEHOOK_CZLIB_SHIM_H
#include <zlib.h>

/* deflateInit2/inflateInit2 are macros that pass ZLIB_VERSION and sizeof(z_stream);
   Swift cannot import function-like macros, so they are wrapped here. */
static inline int imagehook_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}
static inline int imagehook_deflateInit2(z_streamp strm, int level, int method,
                                         int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}
#endif
