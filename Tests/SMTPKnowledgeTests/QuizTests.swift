import Testing
@testable import SMTPKnowledge

@Suite("smtpx quiz")
struct QuizTests {
    @Test("the same seed gives the same quiz; every question has four distinct choices and one answer, in both languages",
          arguments: [0, 1, 7, 42, 9999] as [UInt64])
    func questions(seed: UInt64) {
        let quiz = Quiz.questions(count: 40, seed: seed)
        #expect(quiz == Quiz.questions(count: 40, seed: seed))
        #expect(quiz != Quiz.questions(count: 40, seed: seed + 1))
        for question in quiz {
            #expect(question.choices.count == 4)
            #expect(Set(question.choices.map(\.en)).count == 4, "\(question.prompt.en): \(question.choices.map(\.en))")
            #expect((0..<4).contains(question.answer))
            for text in [question.prompt, question.why] + question.choices {
                #expect(!text.en.isEmpty && !text.zh.isEmpty && !text.en.contains("{0}") && !text.zh.contains("{0}"))
            }
        }
    }

    @Test("a code question's answer is the code the server gives")
    func codes() {
        for question in Quiz.questions(count: 100, seed: 5) where question.prompt.en.hasPrefix("Which code") {
            let answer = question.choices[question.answer].en
            #expect(question.why.en.hasPrefix(answer + ":"))
        }
    }
}
