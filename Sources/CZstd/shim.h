// libzstd (libzstd-dev): the server's zstd response coding (Sources/ScorecardServer/HTTP/Compression.swift).
#include <zstd.h>
