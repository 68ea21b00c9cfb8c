#ifndef SCORECARD_CLAZYCURL_H
#define SCORECARD_CLAZYCURL_H

/// Whether libcurl has been loaded into this process yet (1) or not (0).
///
/// FoundationNetworking calls libcurl through the trampolines in lazycurl.c, which `dlopen`
/// libcurl on the first call, so a `scorecard` command that never touches the network never
/// loads libcurl and its thirty-odd dependencies.
int scorecard_curl_loaded(void);

/// The address of this file's `curl_easy_init` trampoline (for tests: in a process linked with
/// FoundationNetworking as a shared library, the dynamic linker must bind to it).
const void *scorecard_curl_trampoline(void);

#endif
