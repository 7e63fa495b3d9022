/// How the explorer's TLS client checks the server and presents itself: what `openssl s_client`
/// and swaks users reach for (`--sni`, `--verify-name`, `--ca-file`, `--pin`, `--tls-min`,
/// `--tls-max`, `--ciphers`, `--client-cert`).
public struct TLSClientOptions: Sendable, Hashable {
    /// A protocol version `--tls-min` and `--tls-max` name.
    public enum Version: String, Sendable, Hashable, CaseIterable, Comparable {
        case tls10 = "1.0", tls11 = "1.1", tls12 = "1.2", tls13 = "1.3"

        /// "TLSv1.2", as the TLS layer reports the negotiated version.
        public var name: String { "TLSv" + rawValue }

        public static func < (a: Version, b: Version) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// What the ClientHello says in its server_name extension (RFC 6066 §3).
    public enum SNI: Sendable, Hashable {
        /// The name connected to (or the exchanger's name); none for an address.
        case automatic
        /// No server_name at all (`--no-sni`): what an old client sends.
        case off
        case name(String)
    }

    /// Go on when the certificate does not verify (`--insecure`); the problems are still shown.
    public var insecure: Bool
    /// When set, these PEM certificates are the only trusted roots: the embedded explorer trusts
    /// the certificate of the practice server it started itself, and no other.
    public var trustOnly: [String]?
    /// The name to verify and to send as SNI, when it differs from the host connected to.
    public var serverName: String?
    public var sni: SNI
    /// The name the certificate must carry, when it differs from the SNI (`--verify-name`).
    public var verifyName: String?
    /// PEM certificates trusted as roots besides the system's (`--ca-file`), or instead of them
    /// when `caOnly`.
    public var extraRoots: [String]
    public var caOnly: Bool
    /// `--pin`: SHA-256 digests (hex, lowercase, no colons) of a public key (SubjectPublicKeyInfo)
    /// or of a whole certificate; one certificate of the chain must match one of them.
    public var pins: [String]
    public var minimumVersion: Version?
    public var maximumVersion: Version?
    /// TLS 1.2 suites by name, `:`-separated (`--ciphers`; see `CipherList`).
    public var ciphers: String?
    /// A client certificate chain and its key, as PEM (`--client-cert`, `--client-key`).
    public var clientCertificate: String?
    public var clientKey: String?

    public init(insecure: Bool = false, trustOnly: [String]? = nil, serverName: String? = nil, sni: SNI = .automatic,
                verifyName: String? = nil, extraRoots: [String] = [], caOnly: Bool = false, pins: [String] = [],
                minimumVersion: Version? = nil, maximumVersion: Version? = nil, ciphers: String? = nil,
                clientCertificate: String? = nil, clientKey: String? = nil) {
        self.insecure = insecure
        self.trustOnly = trustOnly
        self.serverName = serverName
        self.sni = sni
        self.verifyName = verifyName
        self.extraRoots = extraRoots
        self.caOnly = caOnly
        self.pins = pins
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.ciphers = ciphers
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }

    /// The same options for a connection whose checked name is `name` (an exchanger's).
    public func naming(_ name: String?) -> TLSClientOptions {
        var copy = self
        if let name { copy.serverName = name }
        return copy
    }
}
