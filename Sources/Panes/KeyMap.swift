import Foundation
import SMTPKnowledge

/// One entry of a key table; the help screen is generated from these.
public struct KeyBinding<Action: Hashable & Sendable>: Sendable {
    public let keys: [Key]
    /// How the keys are written in the help.
    public let names: String
    public let action: Action
    public let help: Localized
}

/// A face's keys (tig's request table): one place says what each key does and what its help
/// says.
public struct KeyTable<Action: Hashable & Sendable>: Sendable {
    public let bindings: [KeyBinding<Action>]
    let byKey: [Key: Action]

    init(_ bindings: [KeyBinding<Action>]) {
        self.bindings = bindings
        var table: [Key: Action] = [:]
        for binding in bindings { for key in binding.keys where table[key] == nil { table[key] = binding.action } }
        byKey = table
    }

    public func action(for key: Key) -> Action? { byKey[key] }

    /// (keys, help) for the help screen.
    var entries: [(names: String, help: Localized)] { bindings.map { ($0.names, $0.help) } }
}

/// What a key does in the explorer.
public enum ExplorerKey: Sendable, Hashable {
    case send, complete, historyUp, historyDown, left, right, home, end, backspace, deleteForward
    case startOfLine, endOfLine, killToEnd, killToStart, killWord
    case scrollUp, scrollDown, selectPrevious, selectNext, followLatest
    case explainerUp, explainerDown, help, toggleLineEndings, present, redraw, quit, quitIfEmpty
}

/// What a key does in replay.
public enum ReplayKey: Sendable, Hashable {
    case next, back, first, last, selectPrevious, selectNext, followLatest, scrollUp, scrollDown
    case explainerUp, explainerDown, help, toggleLineEndings, present, redraw, note, quit
}

public enum KeyMap {
    typealias L = Localized

    public static let explorer = KeyTable<ExplorerKey>([
        KeyBinding(keys: [.enter], names: "Enter", action: .send,
                   help: L("send the line (a command, a message line, or a /command)", "发送这一行（命令、邮件内容行或 / 命令）")),
        KeyBinding(keys: [.tab], names: "Tab", action: .complete, help: L("complete a verb or a /command", "补全命令动词或 / 命令")),
        KeyBinding(keys: [.up], names: "↑", action: .historyUp, help: L("previous command from the history", "历史中的上一条命令")),
        KeyBinding(keys: [.down], names: "↓", action: .historyDown, help: L("next command from the history", "历史中的下一条命令")),
        KeyBinding(keys: [.left], names: "←", action: .left, help: L("move the cursor left", "光标左移")),
        KeyBinding(keys: [.right], names: "→", action: .right, help: L("move the cursor right", "光标右移")),
        KeyBinding(keys: [.home], names: "Home", action: .home,
                   help: L("start of the line; with an empty line, top of the stream", "行首；输入为空时跳到记录顶部")),
        KeyBinding(keys: [.end], names: "End", action: .end,
                   help: L("end of the line; with an empty line, bottom of the stream", "行尾；输入为空时跳到记录底部")),
        KeyBinding(keys: [.control("a")], names: "Ctrl-A", action: .startOfLine, help: L("start of the line", "行首")),
        KeyBinding(keys: [.control("e")], names: "Ctrl-E", action: .endOfLine, help: L("end of the line", "行尾")),
        KeyBinding(keys: [.backspace, .control("h")], names: "Backspace", action: .backspace,
                   help: L("delete the character before the cursor", "删除光标前的字符")),
        KeyBinding(keys: [.delete], names: "Delete", action: .deleteForward, help: L("delete the character under the cursor", "删除光标处的字符")),
        KeyBinding(keys: [.control("k")], names: "Ctrl-K", action: .killToEnd, help: L("delete to the end of the line", "删除到行尾")),
        KeyBinding(keys: [.control("u")], names: "Ctrl-U", action: .killToStart, help: L("delete to the start of the line", "删除到行首")),
        KeyBinding(keys: [.control("w")], names: "Ctrl-W", action: .killWord, help: L("delete the word before the cursor", "删除光标前的单词")),
        KeyBinding(keys: [.pageUp], names: "PgUp", action: .scrollUp, help: L("scroll the stream up a page", "记录向上滚动一页")),
        KeyBinding(keys: [.pageDown], names: "PgDn", action: .scrollDown, help: L("scroll the stream down a page", "记录向下滚动一页")),
        KeyBinding(keys: [.control("p"), .shiftUp], names: "Ctrl-P, Shift-↑", action: .selectPrevious,
                   help: L("select the previous line and explain it", "选择上一行并解释它")),
        KeyBinding(keys: [.control("n"), .shiftDown], names: "Ctrl-N, Shift-↓", action: .selectNext,
                   help: L("select the next line and explain it", "选择下一行并解释它")),
        KeyBinding(keys: [.escape], names: "Esc", action: .followLatest,
                   help: L("back to the latest reply (and close help)", "回到最新的回复（并关闭帮助）")),
        KeyBinding(keys: [.shiftPageUp, .function(7)], names: "Shift-PgUp, F7", action: .explainerUp,
                   help: L("scroll the explanation up", "解释向上滚动")),
        KeyBinding(keys: [.shiftPageDown, .function(8)], names: "Shift-PgDn, F8", action: .explainerDown,
                   help: L("scroll the explanation down", "解释向下滚动")),
        KeyBinding(keys: [.function(1)], names: "F1", action: .help, help: L("show or hide this help", "显示或隐藏帮助")),
        KeyBinding(keys: [.function(2)], names: "F2", action: .toggleLineEndings,
                   help: L("show or hide line endings (␍␊)", "显示或隐藏行尾符（␍␊）")),
        KeyBinding(keys: [.function(3)], names: "F3", action: .present,
                   help: L("with --present: both panes, the stream alone, the explanation alone", "使用 --present 时：两个窗格、只显示记录、只显示解释")),
        KeyBinding(keys: [.control("l")], names: "Ctrl-L", action: .redraw, help: L("redraw the screen", "重绘屏幕")),
        KeyBinding(keys: [.control("c"), .function(10)], names: "Ctrl-C, F10", action: .quit, help: L("quit", "退出")),
        KeyBinding(keys: [.control("d")], names: "Ctrl-D", action: .quitIfEmpty, help: L("quit, when the line is empty", "输入为空时退出")),
    ])

    public static let replay = KeyTable<ReplayKey>([
        KeyBinding(keys: [.right, .enter, .character(" ")], names: "→, Space, Enter", action: .next,
                   help: L("the next exchange", "下一次交换")),
        KeyBinding(keys: [.left, .backspace, .character("p")], names: "←, Backspace", action: .back,
                   help: L("the exchange before", "上一次交换")),
        KeyBinding(keys: [.home], names: "Home", action: .first, help: L("the start of the recording", "回到记录开头")),
        KeyBinding(keys: [.end], names: "End", action: .last, help: L("the end of the recording", "跳到记录结尾")),
        KeyBinding(keys: [.control("p"), .shiftUp], names: "Ctrl-P, Shift-↑", action: .selectPrevious,
                   help: L("select the previous line and explain it", "选择上一行并解释它")),
        KeyBinding(keys: [.control("n"), .shiftDown], names: "Ctrl-N, Shift-↓", action: .selectNext,
                   help: L("select the next line and explain it", "选择下一行并解释它")),
        KeyBinding(keys: [.escape], names: "Esc", action: .followLatest,
                   help: L("back to the latest reply (and close help)", "回到最新的回复（并关闭帮助）")),
        KeyBinding(keys: [.pageUp], names: "PgUp", action: .scrollUp, help: L("scroll the stream up a page", "记录向上滚动一页")),
        KeyBinding(keys: [.pageDown], names: "PgDn", action: .scrollDown, help: L("scroll the stream down a page", "记录向下滚动一页")),
        KeyBinding(keys: [.shiftPageUp, .function(7)], names: "Shift-PgUp, F7", action: .explainerUp,
                   help: L("scroll the explanation up", "解释向上滚动")),
        KeyBinding(keys: [.shiftPageDown, .function(8)], names: "Shift-PgDn, F8", action: .explainerDown,
                   help: L("scroll the explanation down", "解释向下滚动")),
        KeyBinding(keys: [.function(1), .character("?")], names: "F1, ?", action: .help, help: L("show or hide this help", "显示或隐藏帮助")),
        KeyBinding(keys: [.function(2)], names: "F2", action: .toggleLineEndings,
                   help: L("show or hide line endings (␍␊)", "显示或隐藏行尾符（␍␊）")),
        KeyBinding(keys: [.function(3)], names: "F3", action: .present,
                   help: L("with --present: both panes, the stream alone, the explanation alone", "使用 --present 时：两个窗格、只显示记录、只显示解释")),
        KeyBinding(keys: [.control("l")], names: "Ctrl-L", action: .redraw, help: L("redraw the screen", "重绘屏幕")),
        KeyBinding(keys: [.character("n")], names: "n", action: .note,
                   help: L("write a note on this step (Enter keeps it, Esc cancels); saved beside the recording",
                           "为这一步写备注（回车保存，Esc 取消）；保存在记录文件旁边")),
        KeyBinding(keys: [.character("q"), .control("c"), .function(10)], names: "q, Ctrl-C, F10", action: .quit,
                   help: L("quit", "退出")),
    ])
}
