import Conversation
import Foundation
import Panes
import PracticeServer
import SMTPCore
import SMTPKnowledge
import SMTPTransport

/// The practice server `smtpx` starts in-process when no HOST is given: on a free loopback
/// port, with a Maildir in a fresh folder, STARTTLS with a certificate made for it, and the
/// demo accounts. The explorer trusts that certificate and no other. With `implicitTLS`
/// (`smtpx --tls`) it also listens for TLS from the first byte, and the explorer goes there.
public struct EmbeddedPractice {
    public let server: PracticeServer
    /// The port the explorer connects to: the TLS listener's with `implicitTLS`.
    public let port: Int
    /// Its POP3 port (POP3S with `implicitTLS`).
    public let pop3Port: Int
    public let implicitTLS: Bool
    public let maildir: URL

    public init(scenarios: Set<Scenario>, implicitTLS: Bool = false) throws {
        let stamp = Int(Date().timeIntervalSince1970)
        maildir = FileManager.default.temporaryDirectory.appendingPathComponent("smtpx-practice-\(stamp)-\(getpid())")
        var config = ServerConfig(scenarios: scenarios, tlsAvailable: true,
                                  accounts: ServerConfig.demoAccounts)
        config.hostname = "mx.example.test"
        let log = try ServerLog(path: maildir.path + ".log")
        var options = PracticeServerOptions(config: config, host: "127.0.0.1", port: 0, tlsPort: implicitTLS ? 0 : nil,
                                            maildir: maildir)
        // POP3 beside it, on the same Maildirs, for /pop3 and `smtpx --pop3`.
        options.pop3Port = 0
        if implicitTLS { options.pop3sPort = 0 }
        server = try PracticeServer(options: options, log: log)
        let bound = try server.start()
        guard let port = (implicitTLS ? bound.last : bound.first)?.port,
              let pop3 = (implicitTLS ? server.pop3Addresses.last : server.pop3Addresses.first)?.port else { throw PracticeError.noPort }
        self.port = port
        pop3Port = pop3
        self.implicitTLS = implicitTLS
    }

    enum PracticeError: Error { case noPort }

    /// Where the explorer (or batch mode) connects: this server, trusting its certificate only.
    public var target: Target { Target(host: "127.0.0.1", port: port, implicitTLS: implicitTLS) }

    public var tls: TLSClientOptions { trusting(TLSClientOptions()) }

    /// The user's TLS controls, trusting this server's certificate and no other.
    public func trusting(_ base: TLSClientOptions) -> TLSClientOptions {
        var options = base
        options.insecure = false
        options.trustOnly = server.certificatePEM.map { [$0] }
        options.serverName = server.config.hostname
        return options
    }

    public var label: Localized { Localized("practice server 127.0.0.1:{0}", "练习服务器 127.0.0.1:{0}").format(port) }

    /// The explorer on this server: its label and its welcome page.
    /// Its POP3 listener (POP3S with `implicitTLS`).
    public var pop3Target: Target { Target(host: "127.0.0.1", port: pop3Port, implicitTLS: implicitTLS) }

    public func configure(_ options: inout ExplorerOptions) {
        options.conversation.practiceTargets = (target, pop3Target)
        options.target = options.conversation.wire == .pop3 ? pop3Target : target
        options.transport.tls = trusting(options.transport.tls)
        options.settings.label = label
        let address = "127.0.0.1:\(port)", folder = maildir.path, config = server.config, tls = implicitTLS
        options.settings.welcome = { language in
            Welcome.practice(address: address, maildir: folder, config: config, tls: tls, language: language)
        }
    }

    public func stop() {
        server.stop()
    }
}
