import Glibc

/// The locale the screen draws in. ncursesw needs a UTF-8 locale for borders and Chinese;
/// a `LANG` that names a locale the machine does not have (`zh_CN.UTF-8` on a bare system)
/// would leave the C locale, and the screen without either.
public enum TerminalLocale {
    /// Locales tried, in order, when the environment's is missing or not UTF-8.
    static let fallbacks = ["C.UTF-8", "C.utf8", "en_US.UTF-8"]

    /// Sets a UTF-8 locale: the environment's, or else a fallback. Returns one line to show
    /// before the screen starts when no UTF-8 locale exists at all.
    @discardableResult
    public static func adopt() -> String? {
        if setlocale(LC_ALL, "") != nil, isUTF8 { return nil }
        for name in fallbacks where setlocale(LC_ALL, name) != nil && isUTF8 { return nil }
        setlocale(LC_ALL, "")
        return "smtpx: no UTF-8 locale is installed; borders and Chinese text may not show (install one, e.g. C.UTF-8)"
    }

    static var isUTF8: Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased().filter { $0 != "-" && $0 != "_" }
        return name == "UTF8"
    }
}
