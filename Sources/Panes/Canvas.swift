import SMTPCore
import SMTPKnowledge

/// What a cell is for; the terminal backend maps roles to colours (or, on a monochrome
/// terminal, to bold, underline and reverse).
public enum Role: UInt8, CaseIterable, Sendable, Hashable {
    case normal, dim, border, title, status, statusAccent
    case sent, reply2, reply3, reply4, reply5, replyOther, local, problem, escape
    case heading, term, reference, warning, error, note, prompt, hint, key
}

/// One screen cell: a character, how many columns it covers, and its role.
public struct Cell: Sendable, Hashable {
    /// The character; "" for the right half of a wide character.
    public var character: String
    /// 1 or 2 for a character; 0 for the right half of a wide one.
    public var width: UInt8
    public var role: Role
    public var inverse: Bool

    public static let blank = Cell(character: " ", width: 1, role: .normal, inverse: false)
}

public struct Rect: Sendable, Hashable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
}

/// A grid of cells that panes draw into. The curses backend copies it to the screen; tests
/// read it as text.
public struct Canvas: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor goes, if it is shown.
    public var cursor: (x: Int, y: Int)?

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes `text` at (x, y), clipped to `limit` columns (default: to the right edge).
    /// A wide character that would not fit whole becomes a space. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, role: Role, inverse: Bool = false,
                             limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        // The screen's last defence: a control or invisible scalar that reached a pane is
        // drawn as its escape (``VisibleText``), never handed to the terminal nor dropped.
        if text.unicodeScalars.contains(where: VisibleText.isShownEscaped) {
            return put(VisibleText.sanitize(String(text)), x: x, y: y, role: role, inverse: inverse, limit: limit)
        }
        let end = min(width, x + (limit ?? width))
        var column = x
        for character in text {
            let w = TextWidth.of(character)
            if w == 0 {
                continue
            }
            if column + w > end {
                if column < end, column >= 0 { set(column, y, Cell(character: " ", width: 1, role: role, inverse: inverse)) }
                column = end
                break
            }
            if column >= 0 {
                set(column, y, Cell(character: String(character), width: UInt8(w), role: role, inverse: inverse))
                if w == 2 { set(column + 1, y, Cell(character: "", width: 0, role: role, inverse: inverse)) }
            }
            column += w
        }
        return column - x
    }

    /// Fills a rectangle with one character.
    public mutating func fill(_ rect: Rect, character: Character = " ", role: Role = .normal, inverse: Bool = false) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) {
                set(x, y, Cell(character: String(character), width: 1, role: role, inverse: inverse))
            }
        }
    }

    /// Paints cells of a row range with inverse video, keeping their characters.
    public mutating func invert(row y: Int, from x: Int, to end: Int) {
        guard y >= 0, y < height else { return }
        for column in max(0, x)..<min(width, end) { cells[y * width + column].inverse.toggle() }
    }

    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        let index = y * width + x
        // Overwriting half of a wide character blanks its other half.
        if cells[index].width == 2, x + 1 < width { cells[index + 1] = .blank }
        if cells[index].width == 0, x > 0, cells[index - 1].width == 2 { cells[index - 1] = .blank }
        cells[index] = cell
    }

    /// One row as text (wide characters once, their right halves skipped).
    public func row(_ y: Int) -> String {
        var text = ""
        for x in 0..<width {
            let cell = self[x, y]
            if cell.width > 0 { text += cell.character }
        }
        return text
    }

    /// Every row, trailing spaces removed, joined by newlines: the golden-screen form.
    public var text: String {
        (0..<height).map { y in
            var row = Substring(self.row(y))
            while row.last == " " { row = row.dropLast() }
            return String(row)
        }.joined(separator: "\n")
    }
}
