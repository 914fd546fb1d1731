#ifndef IMAGEHOOK_COPENSSL_SHIM_H
#define IMAGEHOOK_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <openssl/x509_vfy.h>
#include <openssl/crypto.h>

/* The following OpenSSL APIs are macros around SSL_ctrl/SSL_CTX_ctrl, which Swift
   cannot import; thin inline wrappers expose them. */
static inline long imagehook_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
static inline long imagehook_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}
static inline long imagehook_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}
/* Client defaults: no renegotiation (a server-initiated renegotiation mid-body is a
   known DoS/attack surface and never needed for plain requests), no compression
   (CRIME). SSL_OP_* are composite macros Swift does not import. */
static inline void imagehook_SSL_CTX_set_client_options(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
}
/* Partial writes let one SSL_write report progress on a non-blocking socket. */
static inline long imagehook_SSL_CTX_set_nonblocking_modes(SSL_CTX *ctx) {
    return SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}
/* OpenSSL 3 reports a TCP close without close_notify as SSL_ERROR_SSL with this
   reason; callers need to tell it apart from other failures (RFC 8446 §6.1). */
static inline int imagehook_ERR_is_unexpected_eof(unsigned long e) {
    return ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
}
#endif
