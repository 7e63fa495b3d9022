/// How the explorer's TLS client checks the server.
public struct TLSClientOptions: Sendable, Hashable {
    /// Go on when the certificate does not verify (`--insecure`); the problems are still shown.
    public var insecure: Bool
    /// When set, these PEM certificates are the only trusted roots: the embedded explorer trusts
    /// the certificate of the practice server it started itself, and no other.
    public var trustOnly: [String]?
    /// The name to verify and to send as SNI, when it differs from the host connected to.
    public var serverName: String?

    public init(insecure: Bool = false, trustOnly: [String]? = nil, serverName: String? = nil) {
        self.insecure = insecure
        self.trustOnly = trustOnly
        self.serverName = serverName
    }
}
