import ArgumentParser
import FaceIO
import Foundation
import SMTPCore
import SMTPKnowledge

struct QuizCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "A quiz on SMTP replies: what a code means, which code a server answers, what comes next.",
        discussion: """
        Questions are drawn from smtpx's knowledge tables, four choices each; answer with a, b,
        c or d. The explanation follows every answer, the score comes at the end. The same
        --seed gives the same questions, so a class can take one quiz; --key prints the answers.

          smtpx quiz
          smtpx quiz --lang zh --count 5
          smtpx quiz --seed 42 --key > answers.txt
        """
    )

    @Option(help: "How many questions (1 to 100).")
    var count = 10

    @Option(help: "The same seed gives the same quiz (default: a new one each time).")
    var seed: UInt64?

    @Flag(help: "Print the questions with their answers instead of asking.")
    var key = false

    @Option(help: "Language: en or zh. Default: from LC_ALL, LC_MESSAGES or LANG.")
    var lang: LanguageOption?

    func validate() throws {
        if !(1...100).contains(count) { throw ValidationError("--count must be between 1 and 100.") }
    }

    func run() throws {
        let language = lang?.language ?? Language.fromEnvironment()
        let questions = Quiz.questions(count: count, seed: seed ?? UInt64.random(in: 0...UInt64.max))
        let letters = ["a", "b", "c", "d"]
        var score = 0
        for (number, question) in questions.enumerated() {
            var lines = ["", "\(number + 1)/\(questions.count). " + question.prompt[language]]
            for (index, choice) in question.choices.enumerated() { lines.append("   \(letters[index])) " + choice[language]) }
            if key {
                lines.append("   → \(letters[question.answer]) — " + question.why[language])
                StandardOutput.write(lines.joined(separator: "\n") + "\n")
                continue
            }
            StandardOutput.write(lines.joined(separator: "\n") + "\n" + Localized("Your answer: ", "你的答案：")[language])
            var given: Int?
            while given == nil {
                guard let line = readLine() else {
                    StandardOutput.write("\n" + summary(score, of: number, language) + "\n")
                    throw ExitCode(score == number ? 0 : 1)
                }
                given = letters.firstIndex(of: line.trimmingCharacters(in: .whitespaces).lowercased())
                if given == nil { StandardOutput.write(Localized("a, b, c or d: ", "请输入 a、b、c 或 d：")[language]) }
            }
            let right = given == question.answer
            if right { score += 1 }
            let verdict = right ? Localized("Right.", "正确。") : Localized("Not quite: {0}.", "不对：答案是 {0}。").format(letters[question.answer])
            StandardOutput.write(verdict[language] + " " + question.why[language] + "\n")
        }
        if !key { StandardOutput.write("\n" + summary(score, of: questions.count, language) + "\n") }
        throw ExitCode(key || score == questions.count ? 0 : 1)
    }

    func summary(_ score: Int, of total: Int, _ language: Language) -> String {
        Localized("Score: {0} of {1}.", "得分：{1} 题中答对 {0} 题。").format(score, total)[language]
    }
}
