/// A key press, as the terminal backend decodes it.
public enum Key: Sendable, Hashable {
    case character(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case shiftUp, shiftDown, shiftPageUp, shiftPageDown
    /// Ctrl and a letter, lower case: `.control("a")`.
    case control(Character)
    case function(Int)
    /// The terminal changed size.
    case resize
}
