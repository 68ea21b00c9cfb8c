// GNU readline for Swift. Swift 6 rejects readline's mutable globals as not concurrency-safe,
// so they are read and written through these inline functions; only the shell's REPL thread
// calls them.
#ifndef SCORECARD_CREADLINE_SHIM_H
#define SCORECARD_CREADLINE_SHIM_H

#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>
#include <sys/ioctl.h>
#include <readline/readline.h>
#include <readline/history.h>

static inline void sc_rl_set_readline_name(const char *name) { rl_readline_name = name; }
static inline void sc_rl_set_attempted_completion_function(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void sc_rl_set_completion_display_matches_hook(rl_compdisp_func_t *f) { rl_completion_display_matches_hook = f; }
static inline void sc_rl_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline void sc_rl_set_attempted_completion_over(int v) { rl_attempted_completion_over = v; }
static inline void sc_rl_set_completer_word_break_characters(const char *s) { rl_completer_word_break_characters = (char *)s; }
static inline void sc_rl_set_catch_signals(int v) { rl_catch_signals = v; }
static inline void sc_rl_set_catch_sigwinch(int v) { rl_catch_sigwinch = v; }
static inline void sc_rl_set_outstream(FILE *f) { rl_outstream = f; }
static inline const char *sc_rl_line_buffer(void) { return rl_line_buffer; }
static inline int sc_rl_point(void) { return rl_point; }
static inline int sc_rl_end(void) { return rl_end; }
static inline FILE *sc_stdout(void) { return stdout; }
static inline FILE *sc_stderr(void) { return stderr; }
static inline int sc_history_length(void) { return history_length; }
static inline int sc_history_base(void) { return history_base; }

/// The last history entry's text, or NULL.
static inline const char *sc_history_last(void) {
    HIST_ENTRY *e = history_get(history_base + history_length - 1);
    return e ? e->line : NULL;
}

// MARK: signals through a self-pipe

static int sc_signal_pipe_fd = -1;

static void sc_signal_to_pipe(int signo) {
    int saved = errno;
    unsigned char b = (unsigned char)signo;
    if (sc_signal_pipe_fd >= 0) { ssize_t n = write(sc_signal_pipe_fd, &b, 1); (void)n; }
    errno = saved;
}

/// Writes the number of every SIGINT and SIGWINCH as one byte to `fd` (non-blocking pipe)
/// instead of the default action.
static inline int sc_install_signal_pipe(int fd) {
    sc_signal_pipe_fd = fd;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = sc_signal_to_pipe;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) != 0) return -1;
    return sigaction(SIGWINCH, &sa, NULL);
}

/// Restores the default SIGINT and SIGWINCH actions.
static inline void sc_remove_signal_pipe(void) {
    signal(SIGINT, SIG_DFL);
    signal(SIGWINCH, SIG_DFL);
    sc_signal_pipe_fd = -1;
}

/// The terminal size of `fd` through TIOCGWINSZ; 0 when it is not a terminal.
static inline int sc_terminal_columns(int fd) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
    return ws.ws_col;
}

static inline int sc_terminal_rows(int fd) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
    return ws.ws_row;
}

#endif
