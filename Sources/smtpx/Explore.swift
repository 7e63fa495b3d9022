import ArgumentParser
import Batch
import Conversation
import DNSTransport
import Explorer
import FaceIO
import Foundation
import PracticeServer
import SMTPCore
import SMTPKnowledge
import SMTPTransport

struct Explore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open the explorer on HOST, or with no HOST on the built-in practice server; batch mode when input is not a terminal.",
        discussion: """
        Type SMTP commands at the prompt; every byte the server sends appears in the \
        stream, and the selected reply is explained beside it. F1 shows the keys, \
        /help the slash commands.

        Batch mode (standard input not a terminal, or --script) exits with:
          0  every reply was 2xx or 3xx      4  the worst reply was 4xx
          5  a reply was 5xx                 2  the connection or TLS failed
          3  --timeout: no reply in time     6  --require-tls could not be met
          1  a problem with the script, its secret, or --record
          64 a bad argument or a file smtpx cannot use
        """
    )

    @Argument(help: "The server to connect to: a name, an IPv4 or an IPv6 address.")
    var host: String?

    @Argument(help: "The port (default 25, or 465 with --tls).")
    var port: Int?

    @Flag(help: "Implicit TLS from the first byte (SMTPS, port 465 by default).")
    var tls = false

    @Flag(help: "Use the connection even when the server's certificate does not verify.")
    var insecure = false

    @Option(help: "Seconds to wait for the connection; in batch mode also the silence allowed while a reply is awaited (at least 0.1).")
    var timeout: Double = 15

    @Option(help: "Language: en or zh. Default: from LC_ALL, LC_MESSAGES or LANG.")
    var lang: LanguageOption?

    @Option(help: "Write the conversation to FILE as it happens (FILE.jsonl for JSON Lines, else text).")
    var record: String?

    @Option(help: "Keep at most this many lines of scrollback.")
    var scrollback: Int = 50_000

    @Flag(help: "Presenter mode for a projector: stream and explanation stacked, F3 shows one at a time.")
    var present = false

    @Flag(help: "Show and record AUTH secrets instead of masking them.")
    var showSecrets = false

    @Flag(help: "Let /auth send a password or token without TLS (the transcript says so).")
    var allowPlaintextAuth = false

    @Flag(help: "Send nothing that matters without TLS: STARTTLS first when offered, else stop (batch exit status 6).")
    var requireTLS = false

    @Option(help: "Batch mode: read the commands from FILE (also when standard input is not a terminal).")
    var script: String?

    @Option(help: "Batch output: text (swaks marks and timings), jsonl, or markdown (a handout).")
    var format: FormatOption = .text

    @Flag(help: "Batch mode: add each reply's explanation to the output.")
    var explain = false

    @Flag(help: "Send commands in groups when the server offers PIPELINING (RFC 2920).")
    var pipeline = false

    @Option(name: .customLong("scenario"),
            help: "With no HOST: switch on a practice-server scenario (repeatable): \(Scenario.names).")
    var scenarios: [String] = []

    @Flag(help: "Speak POP3 (port 110, 995 with --tls; with no HOST the practice server's POP3).")
    var pop3 = false

    @Option(help: "Look up DOMAIN's mail route, then connect to its best MX (the next when one fails); PORT may follow.")
    var mx: String?

    @Option(name: .customLong("dns-server"), help: "Ask this resolver, IP[:PORT], for --mx and /mx (default: /etc/resolv.conf).")
    var dnsServer: String?

    @Option(name: .customLong("dns-timeout"), help: "Seconds to wait for each DNS answer (default 5).")
    var dnsTimeout: Double = 5

    @OptionGroup(title: "TLS and connection controls")
    var controls: TLSControls

    func validate() throws {
        if let port, !(1...65535).contains(port) { throw ValidationError("PORT must be between 1 and 65535, not \(port).") }
        if !(timeout >= 0.1 && timeout <= 3600) { throw ValidationError("--timeout must be between 0.1 and 3600 seconds.") }
        if scrollback < 100 { throw ValidationError("--scrollback must be at least 100 lines.") }
        if let host, host.isEmpty || host.hasPrefix("-") { throw ValidationError("'\(host)' is not a host name.") }
        if let host, mx == nil { try controls.checkHost(host) }
        if let mx {
            if let host, Int(host) == nil || port != nil {
                throw ValidationError("--mx \(mx) finds the host itself: give at most a PORT after it, not '\(host)'.")
            }
            if case .failure(let problem) = RouteTarget.domain(of: mx) {
                throw ValidationError("--mx \(VisibleText.sanitize(mx)): " + RouteTexts.problem(problem)[lang?.language ?? .fromEnvironment()])
            }
            if !scenarios.isEmpty { throw ValidationError("--scenario is for the built-in practice server, not --mx.") }
            if pop3 { throw ValidationError("--mx finds an SMTP server; it does not go with --pop3.") }
        }
        if let dnsServer, ResolverAddress(parsing: dnsServer) == nil {
            throw ValidationError(ResolverError.badServer(dnsServer).description)
        }
        if insecure && !controls.pin.isEmpty {
            throw ValidationError("--pin and --insecure contradict each other: a pin is a check, --insecure turns checks off.")
        }
        if !(dnsTimeout > 0 && dnsTimeout <= 120) { throw ValidationError("--dns-timeout must be between 0 and 120 seconds.") }
        if host != nil && !scenarios.isEmpty {
            throw ValidationError("--scenario is for the built-in practice server: use it without HOST (or smtpx serve --scenario).")
        }
        _ = try Scenario.parse(scenarios)
    }

    var batch: Bool { script != nil || isatty(STDIN_FILENO) != 1 }

    func run() throws {
        let language = lang?.language ?? Language.fromEnvironment()
        var recorder: RecordWriter?
        if let record {
            do {
                recorder = try RecordWriter(path: record, showSecrets: showSecrets)
            } catch {
                throw ValidationError("--record: \(error)")
            }
        }
        let lines = batch ? try scriptLines() : []
        var practice: EmbeddedPractice?
        // With --mx the one positional argument is the port.
        let mxPort = mx.map { _ in host.flatMap(Int.init) ?? (tls ? 465 : 25) }
        if host == nil && mx == nil {
            do {
                practice = try EmbeddedPractice(scenarios: try Scenario.parse(scenarios), implicitTLS: tls)
            } catch {
                FileHandle.standardError.write(Data("smtpx: cannot start the practice server: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        defer { practice?.stop() }
        let defaultPort = pop3 ? (tls ? 995 : 110) : (tls ? 465 : 25)
        let practiceTarget = pop3 ? practice?.pop3Target : practice?.target
        let target = practiceTarget ?? Target(host: mx ?? (host ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[]")),
                                              port: mxPort ?? port ?? defaultPort, implicitTLS: tls)
        let dns = ResolverConfig(server: dnsServer.flatMap(ResolverAddress.init(parsing:)), timeout: dnsTimeout)
        let mxTarget = mx.map { (domain: $0, port: mxPort ?? 25) }
        let userTLS = try controls.tls(insecure: insecure)
        let transport = ConnectionSettings(tls: practice?.trusting(userTLS) ?? userTLS, connectTimeout: timeout, dns: dns,
                                           network: controls.network)
        if batch {
            var options = BatchOptions(
                target: target, transport: transport, timeout: timeout, format: format.format, explain: explain, pipeline: pipeline,
                language: language, showSecrets: showSecrets, allowPlaintextAuth: allowPlaintextAuth, requireTLS: requireTLS,
                label: practice?.label[language], hmacMD5: CramMD5.hmac, mx: mxTarget, wire: pop3 ? .pop3 : .smtp)
            options.saveChain = controls.saveChain
            let driver = BatchDriver(options: options, output: StandardOutput.write, record: recorder,
                                     secret: { try SecretSource.read() })
            throw ExitCode(driver.run(lines: lines))
        }
        var conversation = ConversationConfig(language: language, scrollback: scrollback, showSecrets: showSecrets,
                                              pipelining: pipeline, allowPlaintextAuth: allowPlaintextAuth,
                                              requireTLS: requireTLS, hmacMD5: CramMD5.hmac)
        conversation.mx = mxTarget
        conversation.wire = pop3 ? .pop3 : .smtp
        conversation.saveChain = controls.saveChain
        var options = ExplorerOptions(target: mxTarget == nil ? target : nil, transport: transport, conversation: conversation)
        options.settings.present = present
        practice?.configure(&options)
        let controller = ExplorerController(options: options, recorder: recorder)
        try runOnScreen(controller.run)
    }

    /// The script from --script or standard input, a line each, CRLF or LF.
    func scriptLines() throws -> [String] {
        let text: String
        if let script {
            guard let contents = try? String(contentsOfFile: script, encoding: .utf8) else {
                throw ValidationError("--script: cannot read \(script).")
            }
            text = contents
        } else {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
