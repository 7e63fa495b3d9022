import CNcurses
import EventQueue
import Glibc
import Panes

/// Why the screen could not be taken over.
public struct TerminalError: Error, CustomStringConvertible {
    public let description: String
}

// Theory of operation
//
// `Terminal` is the only place that talks to ncurses. It starts the screen with `newterm`
// (not `initscr`, which exits the process on an unknown TERM), copies a `Canvas` to the
// screen cell by cell, and decodes key presses into `Key`s. It must be used from one
// thread only. `end()` restores the terminal; `CrashGuard` calls it on every fatal signal.

/// The curses screen.
public final class Terminal {
    private var screen: OpaquePointer?
    private var colours = false
    private var ended = false
    private var pairs: [Role: (attr_t, Int16)] = [:]

    /// Takes over the terminal on standard input and output.
    public init() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw TerminalError(description: "smtpx: the explorer needs a terminal on standard input and output")
        }
        let term = String(cString: getenv("TERM") ?? strdup(""))
        guard !term.isEmpty else {
            throw TerminalError(description: "smtpx: TERM is not set; set it to your terminal's type, e.g. TERM=xterm-256color")
        }
        TerminalLocale.adopt()
        // The window's real size, not LINES/COLUMNS from the environment, which go stale.
        use_env(false)
        use_tioctl(true)
        // newterm returns NULL (instead of exiting) when TERM has no terminfo entry.
        guard let output = fdopen(STDOUT_FILENO, "w"), let input = fdopen(STDIN_FILENO, "r"),
              let screen = newterm(nil, output, input) else {
            throw TerminalError(description: "smtpx: unknown terminal type \"\(term)\"; set TERM to one that exists, e.g. TERM=xterm-256color")
        }
        self.screen = screen
        CrashGuard.install(self)
        raw()
        noecho()
        nonl()
        keypad(smtpx_stdscr(), true)
        nodelay(smtpx_stdscr(), true)
        set_escdelay(25)
        // ncurses stops a refresh half way when a key is waiting; a frame is drawn whole here.
        typeahead(-1)
        colours = has_colors()
        if colours {
            start_color()
            use_default_colors()
        }
        setUpRoles()
    }

    deinit { end() }

    /// Restores the terminal. Safe to call twice.
    public func end() {
        guard !ended else { return }
        ended = true
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
        CrashGuard.clear()
    }

    /// Columns and rows.
    public var size: (width: Int, height: Int) {
        var rows: Int32 = 0, cols: Int32 = 0
        smtpx_size(&rows, &cols)
        return (Int(cols), Int(rows))
    }

    /// Takes the window's size from the terminal (TIOCGWINSZ) and resizes the screen to it.
    func adoptWindowSize() {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 else { return }
        resize_term(Int32(size.ws_row), Int32(size.ws_col))
        clearok(smtpx_stdscr(), true)
    }

    // MARK: - Drawing

    /// Copies the canvas to the screen and shows it.
    public func draw(_ canvas: Canvas) {
        var buffer = [wchar_t](repeating: 0, count: 8)
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                guard cell.width > 0 else { continue }
                var count = 0
                for scalar in cell.character.unicodeScalars where count < 5 {
                    buffer[count] = wchar_t(bitPattern: scalar.value)
                    count += 1
                }
                if count == 0 { buffer[0] = 0x20; count = 1 }
                buffer[count] = 0
                var (attributes, pair) = pairs[cell.role] ?? (smtpx_a_normal(), 0)
                if cell.inverse { attributes |= smtpx_a_reverse() }
                if smtpx_put_cell(Int32(y), Int32(x), buffer, attributes, pair) == ERR && count > 1 {
                    // A combining sequence the terminal cannot take: draw its base alone.
                    buffer[1] = 0
                    _ = smtpx_put_cell(Int32(y), Int32(x), buffer, attributes, pair)
                }
            }
        }
        if let cursor = canvas.cursor {
            curs_set(1)
            wmove(smtpx_stdscr(), Int32(cursor.y), Int32(cursor.x))
        } else {
            curs_set(0)
        }
        wnoutrefresh(smtpx_stdscr())
        doupdate()
    }

    /// Forces a full repaint on the next draw (Ctrl-L, after a resize).
    func invalidate() {
        clearok(smtpx_stdscr(), true)
    }

    // MARK: - Keys

    /// What came from the keyboard and the window since the last call: the keys, and whether
    /// the window changed size (the screen then takes the new size and is redrawn whole).
    /// Ctrl-L also asks for a whole redraw, and is passed on.
    public func input() -> (keys: [Key], resized: Bool) {
        var resized = false
        if Waiter.takeResize() {
            adoptWindowSize()
            resized = true
        }
        var keys: [Key] = []
        for key in readKeys() {
            if key == .resize {
                invalidate()
                resized = true
                continue
            }
            if key == .control("l") { invalidate() }
            keys.append(key)
        }
        return (keys, resized)
    }

    /// Every key press waiting, without blocking.
    func readKeys() -> [Key] {
        var keys: [Key] = []
        var code: wint_t = 0
        while keys.count < 4096 {
            let status = smtpx_get_key(&code)
            if status == ERR { break }
            if let key = status == KEY_CODE_YES ? Self.functionKey(Int32(code)) : Self.characterKey(UInt32(code)) {
                keys.append(key)
            }
        }
        return keys
    }

    static func characterKey(_ value: UInt32) -> Key? {
        switch value {
        case 13, 10: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        case 0, 28...31: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_SR: return .shiftUp
        case KEY_SF: return .shiftDown
        case KEY_SPREVIOUS: return .shiftPageUp
        case KEY_SNEXT: return .shiftPageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        default:
            for n in 1...12 where code == smtpx_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    // MARK: - Colours

    private func setUpRoles() {
        let bold = smtpx_a_bold(), dim = smtpx_a_dim(), underline = smtpx_a_underline(), reverse = smtpx_a_reverse()
        let none = smtpx_a_normal()
        if colours {
            // (role, foreground, background, attributes); -1 is the terminal's default colour.
            let table: [(Role, Int16, Int16, attr_t)] = [
                (.normal, -1, -1, none), (.dim, -1, -1, dim), (.border, Int16(COLOR_BLUE), -1, none),
                (.title, Int16(COLOR_YELLOW), -1, bold), (.status, Int16(COLOR_CYAN), -1, bold),
                (.statusAccent, Int16(COLOR_YELLOW), -1, bold), (.sent, -1, -1, bold),
                (.reply2, Int16(COLOR_GREEN), -1, none), (.reply3, Int16(COLOR_CYAN), -1, none),
                (.reply4, Int16(COLOR_YELLOW), -1, none), (.reply5, Int16(COLOR_RED), -1, bold),
                (.replyOther, Int16(COLOR_MAGENTA), -1, none), (.local, Int16(COLOR_MAGENTA), -1, none),
                (.problem, Int16(COLOR_WHITE), Int16(COLOR_RED), bold), (.escape, Int16(COLOR_BLACK), Int16(COLOR_MAGENTA), none),
                (.heading, -1, -1, bold | underline), (.term, Int16(COLOR_CYAN), -1, none), (.reference, -1, -1, dim),
                (.warning, Int16(COLOR_YELLOW), -1, bold), (.error, Int16(COLOR_RED), -1, bold), (.note, -1, -1, dim),
                (.prompt, Int16(COLOR_GREEN), -1, bold), (.hint, -1, -1, dim), (.key, -1, -1, bold),
            ]
            for (index, entry) in table.enumerated() {
                let pair = Int16(index + 1)
                init_pair(pair, entry.1, entry.2)
                pairs[entry.0] = (entry.3, pair)
            }
        } else {
            // Monochrome: what colour would say, attributes say instead.
            let table: [Role: attr_t] = [
                .dim: dim, .title: bold, .status: bold, .statusAccent: bold, .sent: bold, .reply4: underline,
                .reply5: bold | underline, .problem: reverse, .escape: reverse, .heading: bold | underline,
                .reference: dim, .warning: bold, .error: bold | underline, .note: dim, .prompt: bold, .hint: dim,
                .key: bold,
            ]
            for role in Role.allCases { pairs[role] = (table[role] ?? none, 0) }
        }
    }
}
