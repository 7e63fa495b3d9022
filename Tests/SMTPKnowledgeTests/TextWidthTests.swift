import Testing
@testable import SMTPKnowledge

@Suite("Display width and wrapping")
struct TextWidthTests {
    @Test("CJK and emoji take two columns, combining marks none", arguments: [
        ("abc", 3), ("你好", 4), ("📧", 2), ("e\u{301}", 1), ("中a", 3), ("", 0), ("ｈｉ", 4), ("한국", 4),
    ])
    func widths(text: String, width: Int) {
        #expect(TextWidth.of(text) == width, "\(text)")
    }

    @Test("wrapped lines never exceed the width", arguments: [10, 17, 23, 40])
    func wrapFits(width: Int) {
        let texts = [
            "The server says a long sentence with several words, and a veryveryveryverylongword in it.",
            "服务器马上要关闭连接。它可以在任何时刻、对任何命令这样回答。",
            "用 MAIL FROM:<you@example.org> 声明，冒号后不要有空格。",
        ]
        for text in texts {
            for line in TextWidth.wrap(text, width: width) {
                #expect(TextWidth.of(line) <= width, "\"\(line)\" is wider than \(width)")
            }
            let joined = TextWidth.wrap(text, width: width).joined().filter { $0 != " " }
            #expect(joined == text.filter { $0 != " " }, "nothing is lost")
        }
    }

    @Test("Chinese closing punctuation never starts a line")
    func kinsoku() {
        for width in 6...30 {
            for line in TextWidth.wrap("它可以在任何时刻、对任何命令这样回答。「必须先执行」和「需要认证」。", width: width) {
                #expect(!(line.first.map { TextWidth.closing.contains($0) } ?? false), "width \(width): \(line)")
                #expect(!(line.last.map { TextWidth.opening.contains($0) } ?? false), "width \(width): \(line)")
            }
        }
    }

    @Test("truncation adds an ellipsis within the width")
    func truncate() {
        #expect(TextWidth.truncate("hello world", to: 6) == "hello…")
        #expect(TextWidth.truncate("你好世界", to: 5) == "你好…")
        #expect(TextWidth.truncate("ok", to: 5) == "ok")
    }
}
