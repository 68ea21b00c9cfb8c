// libcurl, loaded on first use.
//
// FoundationNetworking (URLSession on Linux) calls libcurl. Linked the usual way, libcurl and the
// ~35 libraries it needs (TLS, Kerberos, LDAP, SSH, IDN, ...) are loaded at every start of every
// binary that contains FoundationNetworking: about 6 ms, three times a whole `sqlite3 "select 1"`,
// paid even by `scorecard stats`, which reads the local mirror and never opens a socket.
//
// So the targets that import FoundationNetworking are compiled with
// `-disable-autolink-library curl` (Package.swift): nothing in the link asks for libcurl. Instead
// this file defines every libcurl function FoundationNetworking calls, each a trampoline that
// loads libcurl (`dlopen`, once) and forwards to the real function. A libcurl function
// FoundationNetworking starts calling in a later toolchain fails the static link with an
// undefined symbol, not at run time. In a dynamically linked build libFoundationNetworking.so
// still brings libcurl at start; the trampolines then just forward to it.
//
// No curl headers: the types are spelled as the ABI sees them (handles are pointers, codes and
// options are ints), so the build does not need libcurl's development package.

#include "CLazyCurl.h"

#if defined(__linux__)

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void *libcurl;
static pthread_once_t libcurlOnce = PTHREAD_ONCE_INIT;

static void loadLibcurl(void) {
    libcurl = dlopen("libcurl.so.4", RTLD_NOW | RTLD_GLOBAL);
    if (libcurl == NULL) {
        fprintf(stderr, "scorecard: cannot load libcurl (apt: libcurl4): %s\n", dlerror());
        abort();
    }
}

static void *curlFunction(const char *name) {
    pthread_once(&libcurlOnce, loadLibcurl);
    void *function = dlsym(libcurl, name);
    if (function == NULL) {
        fprintf(stderr, "scorecard: libcurl has no %s\n", name);
        abort();
    }
    return function;
}

void *curl_easy_init(void);

const void *scorecard_curl_trampoline(void) {
    return (const void *)&curl_easy_init;
}

int scorecard_curl_loaded(void) {
    // Loaded by us, or already present (a dynamically linked FoundationNetworking brings it).
    void *present = dlopen("libcurl.so.4", RTLD_NOW | RTLD_NOLOAD);
    if (present != NULL) {
        dlclose(present);
        return 1;
    }
    return 0;
}

// Each trampoline looks its function up once; racing first calls store the same pointer.
#define FORWARD(ret, name, params, args)                                             \
    ret name params {                                                                \
        static void *real;                                                           \
        void *function = __atomic_load_n(&real, __ATOMIC_ACQUIRE);                   \
        if (function == NULL) {                                                      \
            function = curlFunction(#name);                                          \
            __atomic_store_n(&real, function, __ATOMIC_RELEASE);                     \
        }                                                                            \
        return ((ret(*) params)function) args;                                       \
    }

FORWARD(void *, curl_easy_init, (void), ())
FORWARD(void, curl_easy_cleanup, (void *handle), (handle))
FORWARD(int, curl_easy_pause, (void *handle, int bitmask), (handle, bitmask))
FORWARD(const char *, curl_easy_strerror, (int code), (code))
FORWARD(void, curl_free, (void *pointer), (pointer))
FORWARD(int, curl_global_init, (long flags), (flags))
FORWARD(int, curl_multi_add_handle, (void *multi, void *handle), (multi, handle))
FORWARD(int, curl_multi_assign, (void *multi, int socket, void *pointer), (multi, socket, pointer))
FORWARD(int, curl_multi_cleanup, (void *multi), (multi))
FORWARD(void *, curl_multi_info_read, (void *multi, int *queued), (multi, queued))
FORWARD(void *, curl_multi_init, (void), ())
FORWARD(int, curl_multi_remove_handle, (void *multi, void *handle), (multi, handle))
FORWARD(int, curl_multi_socket_action, (void *multi, int socket, int mask, int *running), (multi, socket, mask, running))
FORWARD(void *, curl_slist_append, (void *list, const char *string), (list, string))
FORWARD(void, curl_slist_free_all, (void *list), (list))
FORWARD(void *, curl_url, (void), ())
FORWARD(int, curl_url_get, (void *url, int part, char **value, unsigned int flags), (url, part, value, flags))
FORWARD(int, curl_url_set, (void *url, int part, const char *value, unsigned int flags), (url, part, value, flags))
FORWARD(char *, curl_version, (void), ())
FORWARD(void *, curl_version_info, (int age), (age))

// The three variadic ones take exactly one argument after the option: a long, a curl_off_t, a
// pointer or a function pointer, all passed as one 64-bit integer-class value on the platforms
// Swift supports on Linux (x86_64, arm64), so it is read and passed on as a pointer-sized value.
#define FORWARD_VARIADIC(name)                                                       \
    int name(void *handle, int option, ...) {                                        \
        static void *real;                                                           \
        void *function = __atomic_load_n(&real, __ATOMIC_ACQUIRE);                   \
        if (function == NULL) {                                                      \
            function = curlFunction(#name);                                          \
            __atomic_store_n(&real, function, __ATOMIC_RELEASE);                     \
        }                                                                            \
        va_list arguments;                                                           \
        va_start(arguments, option);                                                 \
        void *argument = va_arg(arguments, void *);                                  \
        va_end(arguments);                                                           \
        return ((int (*)(void *, int, ...))function)(handle, option, argument);      \
    }

FORWARD_VARIADIC(curl_easy_setopt)
FORWARD_VARIADIC(curl_easy_getinfo)
FORWARD_VARIADIC(curl_multi_setopt)

#endif // __linux__
