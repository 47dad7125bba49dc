#ifndef QUADRA_CZLIB_SHIM_H
#define QUADRA_CZLIB_SHIM_H
#include <zlib.h>

/* zlib's init calls are function-like macros, which Swift does not import. */
static inline int czlib_inflateInit2(z_streamp s, int windowBits) {
    return inflateInit2(s, windowBits);
}
static inline int czlib_deflateInit2(z_streamp s, int level, int windowBits) {
    return deflateInit2(s, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
#endif
