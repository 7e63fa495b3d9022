import Foundation
import SMTPCore
import SMTPKnowledge

extension LessonTracker {
    /// What the explainer shows above everything else while a lesson runs: the step to do,
    /// its hint when asked for, the latest mistake, or the summary at the end.
    public func guide(_ language: Language) -> Explanation.Section {
        let t = { (text: LessonText) in text[language] }
        let words = LessonWords.self
        var heading = words.lesson[language].replacingOccurrences(of: "{0}", with: String(lesson.id)) + " · " + t(lesson.title)
        var paragraphs: [String] = []
        var items: [Explanation.Item] = []
        if isFinished {
            heading += " · " + words.finished[language]
            paragraphs.append(t(lesson.summary))
        } else {
            let step = lesson.steps[current]
            heading += " · " + words.step[language].replacingOccurrences(of: "{0}", with: String(current + 1))
                .replacingOccurrences(of: "{1}", with: String(lesson.steps.count))
            paragraphs.append(t(step.title) + (language == .zh ? "：" : ": ") + t(step.explain))
            if let mistake, mistake.step == current { items.append(Explanation.Item(words.mistake[language], t(mistake.text))) }
            else if let refused, refused.step == current {
                items.append(Explanation.Item(words.mistake[language], words.refused[language].replacingOccurrences(of: "{0}", with: refused.code)))
            }
            if hints > 0 { items.append(Explanation.Item(words.hint[language], t(step.hint))) }
            else { paragraphs.append(words.askHint[language]) }
        }
        let done = (0..<lesson.steps.count).map { completed[$0] != nil ? "✓" : $0 == current ? "▸" : "·" }.joined()
        items.insert(Explanation.Item(words.progress[language], done), at: 0)
        return Explanation.Section(.lesson, heading: heading, paragraphs: paragraphs, items: items)
    }

    /// For `smtpx learn N --check`: each step, done or not, one a line.
    public func report(_ language: Language) -> String {
        var lines = [LessonWords.lesson[language].replacingOccurrences(of: "{0}", with: String(lesson.id))
                     + (language == .zh ? "：" : ": ") + lesson.title[language]]
        for (index, step) in lesson.steps.enumerated() {
            lines.append((completed[index] != nil ? "  [done]    " : "  [missing] ") + "\(index + 1). " + step.title[language])
        }
        lines.append(isFinished ? LessonWords.allDone[language]
                                : LessonWords.missing[language].replacingOccurrences(of: "{0}", with: String(lesson.steps.count - completed.count)))
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The words of the lesson pages.
enum LessonWords {
    static let lesson = Localized("Lesson {0}", "第 {0} 课")
    static let step = Localized("step {0} of {1}", "第 {0} 步，共 {1} 步")
    static let finished = Localized("done", "完成")
    static let progress = Localized("Progress", "进度")
    static let hint = Localized("Hint", "提示")
    static let mistake = Localized("Not quite", "还不对")
    static let refused = Localized("the server refused that line ({0}): its explanation is below. The step is still the same.",
                                   "服务器拒绝了这一行（{0}）：下面有它的解释。这一步还没有完成。")
    static let askHint = Localized("Type /hint for a hint.", "输入 /hint 查看提示。")
    static let allDone = Localized("Every step is done.", "所有步骤都已完成。")
    static let missing = Localized("{0} steps are missing.", "还有 {0} 步没有完成。")
}

/// Pages the faces show about lessons.
public enum LessonPages {
    public static func noLesson(_ language: Language) -> Explanation {
        Explanation(kind: .topic, subject: "/hint", title: "/hint", recognized: true, sections: [
            Explanation.Section(.advice, paragraphs: [Localized("No lesson is running. `smtpx learn` lists the lessons; `smtpx learn 1` starts the first.",
                                                                "现在没有进行中的课程。`smtpx learn` 列出所有课程；`smtpx learn 1` 开始第一课。")[language]]),
        ])
    }
}
