import SMTPCore
import SMTPKnowledge
import Testing
@testable import Panes

@Suite("Canvas")
struct CanvasTests {
    @Test("wide characters take two cells; one that does not fit becomes a space")
    func wide() {
        var canvas = Canvas(width: 5, height: 1)
        #expect(canvas.put("你好世", x: 0, y: 0, role: .normal) == 5)
        #expect(canvas.row(0) == "你好 ")
        #expect(canvas[1, 0].width == 0)
    }

    @Test("overwriting half of a wide character blanks the other half")
    func overwrite() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("你好", x: 0, y: 0, role: .normal)
        canvas.put("x", x: 1, y: 0, role: .normal)
        #expect(canvas.row(0) == " x好")
    }

    @Test("text is clipped at the limit")
    func clip() {
        var canvas = Canvas(width: 10, height: 1)
        canvas.put("abcdefgh", x: 2, y: 0, role: .normal, limit: 3)
        #expect(canvas.row(0) == "  abc     ")
    }

    @Test("a control or invisible character that reaches a pane is drawn as its escape, never dropped")
    func controlsAreShown() {
        var canvas = Canvas(width: 40, height: 1)
        let used = canvas.put("CN=\u{1B}]0;x\u{7}\u{202E}ok", x: 0, y: 0, role: .normal)
        #expect(canvas.row(0).hasPrefix("CN=\\x1b]0;x\\x07\\u202eok"))
        #expect(used == TextWidth.of("CN=\\x1b]0;x\\x07\\u202eok"))
        #expect(canvas.cells.allSatisfy { cell in !cell.character.unicodeScalars.contains(where: VisibleText.isShownEscaped) })
    }
}
