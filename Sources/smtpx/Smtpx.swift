import ArgumentParser

@main
struct Smtpx: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smtpx",
        abstract: "A terminal SMTP conversation explorer: type SMTP, see every byte, read what it means.",
        discussion: """
        smtpx                  the explorer on its built-in practice server
        smtpx HOST [PORT]      the explorer on a server (port 25; 465 with --tls)
        smtpx serve            the practice server alone, for a class
        smtpx explain THING    explain a code, reply, keyword, verb or mechanism
        smtpx replay FILE      step through a recorded session
        ... | smtpx [HOST]     batch mode: the transcript on standard output
        """,

        subcommands: [Explore.self, Serve.self, Explain.self, Replay.self],
        defaultSubcommand: Explore.self
    )
}
