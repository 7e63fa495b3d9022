#ifndef SMTPX_CNCURSES_SHIM_H
#define SMTPX_CNCURSES_SHIM_H

// The wide-character API (cchar_t, get_wch, add_wch) is hidden without these.
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1

#include <locale.h>
#include <wchar.h>
#include <curses.h>

// Function-like macros and C globals do not reach Swift: small inline wrappers.
static inline WINDOW *smtpx_stdscr(void) { return stdscr; }
static inline void smtpx_size(int *rows, int *cols) { getmaxyx(stdscr, *rows, *cols); }
static inline attr_t smtpx_a_normal(void) { return A_NORMAL; }
static inline attr_t smtpx_a_bold(void) { return A_BOLD; }
static inline attr_t smtpx_a_dim(void) { return A_DIM; }
static inline attr_t smtpx_a_underline(void) { return A_UNDERLINE; }
static inline attr_t smtpx_a_reverse(void) { return A_REVERSE; }
static inline int smtpx_key_f(int n) { return KEY_F(n); }

// Puts one character (a NUL-terminated wide string: a base and its combining marks) at
// (y, x) with attributes and a colour pair.
static inline int smtpx_put_cell(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

static inline int smtpx_get_key(wint_t *key) { return wget_wch(stdscr, key); }

#endif
