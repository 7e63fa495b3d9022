import ArgumentParser
import Foundation
import NIOCore
import PracticeServer
import SMTPCore
import SMTPTransport
import Explorer
import FaceIO
import SMTPKnowledge

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the practice server alone, for a class.",
        discussion: """
        A real SMTP server that teaches: every reply carries an enhanced status code and a reason.
        It never relays: mail for its domains goes to a Maildir per mailbox, anything else is refused.
        Each session's dialog is logged (standard output, or --log FILE) so a teacher sees what the class typed.

        Scenarios: \(Scenario.names).
        Demo accounts for AUTH: alice / wonderland, bob / builder (or --users FILE with user:password lines).
        """
    )

    @Option(help: "Address and port to listen on, e.g. 127.0.0.1:2525 or [::1]:2525 or 0.0.0.0:2525.")
    var listen = "127.0.0.1:2525"

    @Option(help: "Also listen for implicit TLS (SMTPS) on ADDR:PORT.")
    var tlsListen: String?

    @Option(help: "Where delivered mail goes: one Maildir per mailbox.")
    var maildir = "smtpx-maildir"

    @Option(name: .customLong("domain"), help: "A domain delivered here (repeatable; default example.test).")
    var domains: [String] = []

    @Option(help: "The server's name in the greeting (default mx.<first domain>).")
    var hostname: String?

    @Option(name: .customLong("mailbox"), help: "A mailbox (repeatable; default alice and bob).")
    var mailboxes: [String] = []

    @Option(name: .customLong("list"), help: "A mailing list for EXPN, NAME=member,member (repeatable; default team=alice,bob).")
    var lists: [String] = []

    @Option(name: .customLong("scenario"), help: "Switch on a scenario (repeatable): \(Scenario.names).")
    var scenarios: [String] = []

    @Option(help: "Largest message accepted, in octets.")
    var maxSize = 10 * 1024 * 1024

    @Option(help: "Recipients per message.")
    var maxRecipients = 100

    @Option(help: "Connections at once; more get 421.")
    var maxConnections = 500

    @Option(help: "Connections at once from one client address (a class behind one NAT shares one); more get 421.")
    var maxConnectionsPerAddress = 150

    @Option(help: "Bad commands before the server hangs up with 421.")
    var maxErrors = 10

    @Option(help: "Commands that do no mail work (NOOP, RSET, VRFY, EXPN, HELP) before 421.")
    var maxJunkCommands = 100

    @Option(help: "Seconds a command may take from its first byte, and the silence allowed between commands, before 421.")
    var commandTimeout: Double = 300

    @Option(help: "Seconds without message data before 421.")
    var dataTimeout: Double = 180

    @Option(help: "Seconds a greylisted client must wait before retrying.")
    var greylistDelay: Double = 5

    @Flag(help: "Answer VRFY with 252 instead of saying whether a user exists.")
    var hideUsers = false

    @Option(help: "PEM certificate chain for STARTTLS (else a self-signed one is made at start-up).")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("tls-cert-out"), help: ArgumentHelp("Write the certificate STARTTLS serves to FILE, for students' --ca-file.", valueName: "FILE"))
    var tlsCertOut: String?

    @Flag(help: "Do not offer STARTTLS.")
    var noTls = false

    @Option(help: "AUTH accounts, one user:password per line (default: alice:wonderland and bob:builder).")
    var users: String?

    @Flag(help: "Do not offer AUTH.")
    var noAuth = false

    @Option(name: .customLong("pop3-listen"), help: "Also speak POP3 (RFC 1939) on ADDR:PORT, on the same Maildirs and accounts.")
    var pop3Listen: String?

    @Option(name: .customLong("pop3s-listen"), help: "Also speak POP3 over implicit TLS (RFC 8314) on ADDR:PORT.")
    var pop3sListen: String?

    @Flag(name: .customLong("pop3-require-tls"), help: "POP3: USER, PASS and AUTH PLAIN only after STLS (RFC 2595).")
    var pop3RequireTLS = false

    @Option(help: "Log each session's dialog to FILE instead of standard output.")
    var log: String?

    @Flag(name: .customLong("class"), help: "Show the class live instead of the log: every session, its state, and one followed with the explainer (the log goes to --log, default smtpx-serve.log).")
    var classView = false

    @Option(help: "Move the --log file to FILE.1 once it is this many bytes, and start a new one.")
    var logMaxSize = 100 * 1024 * 1024

    func validate() throws {
        _ = try Self.address(listen, option: "--listen")
        if let tlsListen { _ = try Self.address(tlsListen, option: "--tls-listen") }
        if let pop3Listen { _ = try Self.address(pop3Listen, option: "--pop3-listen") }
        if let pop3sListen { _ = try Self.address(pop3sListen, option: "--pop3s-listen") }
        if pop3sListen != nil && noTls { throw ValidationError("--pop3s-listen needs TLS: drop --no-tls.") }
        _ = try Scenario.parse(scenarios)
        for list in lists where !list.contains("=") {
            throw ValidationError("--list takes NAME=member,member, not '\(list)'.")
        }
        if (tlsCert == nil) != (tlsKey == nil) { throw ValidationError("--tls-cert and --tls-key go together.") }
        if maxSize < 1024 { throw ValidationError("--max-size must be at least 1024 octets.") }
        if maxRecipients < 1 || maxConnections < 1 || maxConnectionsPerAddress < 1 || maxErrors < 1 || maxJunkCommands < 1 {
            throw ValidationError("--max-recipients, --max-connections, --max-connections-per-address, --max-errors and --max-junk-commands must be at least 1.")
        }
        if logMaxSize < 4096 { throw ValidationError("--log-max-size must be at least 4096 bytes.") }
        if commandTimeout <= 0 || dataTimeout <= 0 || greylistDelay < 0 {
            throw ValidationError("Timeouts must be positive.")
        }
    }

    /// "127.0.0.1:2525", "[::1]:2525" → host and port.
    static func address(_ text: String, option: String) throws -> (host: String, port: Int) {
        var host = ""
        var portText = ""
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            portText = String(text[close...].dropFirst(2))
        } else if let colon = text.lastIndex(of: ":") {
            host = String(text[..<colon])
            portText = String(text[text.index(after: colon)...])
        }
        guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
            throw ValidationError("\(option) takes ADDRESS:PORT, such as 127.0.0.1:2525 or [::1]:2525, not '\(text)'.")
        }
        return (host, port)
    }

    func makeConfig() throws -> ServerConfig {
        let domainList = domains.isEmpty ? ["example.test"] : domains.map { $0.lowercased() }
        var config = ServerConfig(hostname: hostname ?? "mx.\(domainList[0])", domains: domainList,
                                  revealUsers: !hideUsers, scenarios: try Scenario.parse(scenarios),
                                  maxMessageSize: maxSize, maxRecipients: maxRecipients, maxErrors: maxErrors,
                                  maxJunkCommands: maxJunkCommands, commandTimeout: commandTimeout, dataTimeout: dataTimeout, greylistDelay: greylistDelay)
        if !mailboxes.isEmpty {
            config.mailboxes = mailboxes.map { $0.lowercased() }
            config.postmaster = config.mailboxes[0]
            config.lists = [:]
        }
        if !lists.isEmpty {
            config.lists = [:]
            for list in lists {
                let parts = list.split(separator: "=", maxSplits: 1)
                config.lists[String(parts[0]).lowercased()] = parts.count > 1
                    ? parts[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } : []
            }
        }
        config.tlsAvailable = !noTls
        config.accounts = noAuth ? [:] : try Self.accounts(from: users)
        return config
    }

    static func accounts(from file: String?) throws -> [String: String] {
        guard let file else { return ServerConfig.demoAccounts }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ValidationError("--users: cannot read \(file).")
        }
        var accounts: [String: String] = [:]
        for (number, line) in text.split(separator: "\n").enumerated() where !line.hasPrefix("#") && !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw ValidationError("--users: line \(number + 1) of \(file) is not user:password.")
            }
            accounts[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return accounts
    }

    func run() throws {
        // Block the stop signals before any thread exists, so that they all inherit the mask
        // and the signals wait for `sigwait` below instead of killing the process.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        // The class view waits for signals itself, on its screen's thread.
        if !classView { pthread_sigmask(SIG_BLOCK, &stopSignals, nil) }
        let config = try makeConfig()
        let (host, port) = try Self.address(listen, option: "--listen")
        let tls = try tlsListen.map { try Self.address($0, option: "--tls-listen") }
        var certificate: String?
        var key: String?
        if let tlsCert, let tlsKey {
            guard let cert = try? String(contentsOfFile: tlsCert, encoding: .utf8),
                  let privateKey = try? String(contentsOfFile: tlsKey, encoding: .utf8) else {
                throw ValidationError("Cannot read --tls-cert or --tls-key.")
            }
            certificate = cert
            key = privateKey
        }
        let serverLog: ServerLog
        let language = Language.fromEnvironment()
        let classroom = classView ? ClassController(label: Localized("smtpx class on {0}", "smtpx 课堂 {0}").format(listen),
                                                    language: language) : nil
        do {
            if let classroom {
                serverLog = try ServerLog(path: log ?? "smtpx-serve.log", maxBytes: logMaxSize, observer: classroom.observer)
            } else {
                serverLog = try log.map { try ServerLog(path: $0, maxBytes: logMaxSize) } ?? .standardOutput
            }
        } catch {
            throw ValidationError("--log: \(error)")
        }
        var options = PracticeServerOptions(config: config, host: host, port: port, tlsHost: tls?.host, tlsPort: tls?.port,
                                            maildir: URL(fileURLWithPath: maildir), maxConnections: maxConnections,
                                            maxConnectionsPerAddress: maxConnectionsPerAddress, certificatePEM: certificate, keyPEM: key)
        if let pop3Listen {
            let (host, port) = try Self.address(pop3Listen, option: "--pop3-listen")
            options.pop3Host = host
            options.pop3Port = port
        }
        if let pop3sListen {
            let (host, port) = try Self.address(pop3sListen, option: "--pop3s-listen")
            options.pop3sHost = host
            options.pop3sPort = port
        }
        options.pop3RequireTLS = pop3RequireTLS
        let server: PracticeServer
        let bound: [SocketAddress]
        do {
            server = try PracticeServer(options: options, log: serverLog)
            bound = try server.start()
        } catch {
            FileHandle.standardError.write(Data("smtpx serve: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let summary = """
            smtpx practice server on \(bound.map(Connection.describe).joined(separator: " and ")) as \(config.hostname)
              domains: \(config.domains.joined(separator: ", "))   mailboxes: \(config.mailboxes.joined(separator: ", "))   lists: \(config.lists.keys.sorted().joined(separator: ", "))
              mail goes to \(URL(fileURLWithPath: maildir).path)   STARTTLS: \(server.config.tlsAvailable ? "yes" : "no")   AUTH: \(config.accounts.isEmpty ? "no" : PracticePolicy.mechanisms.joined(separator: " "))
              scenarios: \(config.scenarios.isEmpty ? "none" : config.scenarios.map(\.rawValue).sorted().joined(separator: ", "))\(server.pop3Addresses.isEmpty ? "" : "\n  POP3 on " + server.pop3Addresses.map(Connection.describe).joined(separator: " and "))
            """
        var trust = ""
        if let pem = server.certificatePEM, let print = CertificateFingerprint.of(pem: pem) {
            trust = "  certificate SHA-256 \(print.fingerprint)\n  students trust it with: smtpx --pin \(print.pin) HOST PORT\n"
            if let tlsCertOut {
                if let failure = SavedFile.write(pem, to: tlsCertOut) {
                    FileHandle.standardError.write(Data("smtpx serve: --tls-cert-out \(tlsCertOut): \(failure)\n".utf8))
                } else {
                    trust += "  certificate written to \(tlsCertOut) (smtpx --ca-file \(tlsCertOut) HOST PORT)\n"
                }
            }
        }
        FileHandle.standardError.write(Data((summary + "\n" + trust).utf8))
        if let classroom {
            let status = try classroom.run()
            server.stop()
            FileHandle.standardError.write(Data("smtpx serve: stopped; the log is in \(log ?? "smtpx-serve.log")\n".utf8))
            if status != 0 && status != 128 + SIGINT && status != 128 + SIGTERM { throw ExitCode(status) }
            return
        }
        var received: Int32 = 0
        sigwait(&stopSignals, &received)
        FileHandle.standardError.write(Data("smtpx serve: stopping\n".utf8))
        server.stop()
    }
}
