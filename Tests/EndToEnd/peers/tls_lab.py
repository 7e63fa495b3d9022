"""A certificate authority of the tests' own, made with the openssl command in a temporary
folder: a root, an intermediate, and server certificates signed by the intermediate, current or
expired. Nothing is added to the machine's trust store.

    lab = TLSLab(folder)
    leaf = lab.server("mail.good.test")                 # leaf.chain = leaf + intermediate
    old = lab.server("old.good.test", expired=True)
    lab.root                                             # the PEM file to pass as --ca-file
"""
import pathlib
import subprocess

CA_CONFIG = """[ca]
default_ca = lab
[lab]
dir = {folder}
database = {folder}/index.txt
new_certs_dir = {folder}/issued
serial = {folder}/serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = copy
[anything]
commonName = supplied
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth,clientAuth
[intermediate]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
"""


def openssl(*args, cwd=None):
    result = subprocess.run(["openssl", *args], capture_output=True, text=True, cwd=cwd)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


class Issued:
    def __init__(self, folder, name):
        self.name = name
        self.key = folder / f"{name}.key"
        self.cert = folder / f"{name}.pem"
        self.chain = folder / f"{name}.chain.pem"

    def fingerprint(self):
        """The SHA-256 of the certificate, hex, as `openssl x509 -fingerprint` prints it."""
        out = openssl("x509", "-in", str(self.cert), "-noout", "-fingerprint", "-sha256")
        return out.strip().split("=", 1)[1].replace(":", "").lower()

    def spki_sha256(self):
        """The SHA-256 of the public key (SubjectPublicKeyInfo), hex: what TLSA 3 1 1 and --pin name."""
        der = subprocess.run(["openssl", "x509", "-in", str(self.cert), "-noout", "-pubkey"],
                             capture_output=True, check=True).stdout
        der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=der,
                             capture_output=True, check=True).stdout
        import hashlib
        return hashlib.sha256(der).hexdigest()


class TLSLab:
    def __init__(self, folder):
        self.folder = pathlib.Path(folder)
        (self.folder / "issued").mkdir(parents=True, exist_ok=True)
        (self.folder / "index.txt").write_text("")
        (self.folder / "serial").write_text("1000\n")
        self.config = self.folder / "ca.cnf"
        self.config.write_text(CA_CONFIG.format(folder=self.folder))
        self.root = self.folder / "root.pem"
        root_key = self.folder / "root.key"
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "3650", "-subj", "/CN=smtpx test root", "-keyout", str(root_key), "-out", str(self.root),
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        self.intermediate = self.folder / "intermediate.pem"
        self.intermediate_key = self.folder / "intermediate.key"
        request = self.folder / "intermediate.csr"
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=smtpx test intermediate", "-keyout", str(self.intermediate_key), "-out", str(request))
        self.sign(request, self.intermediate, self.root, root_key, "intermediate", days=3650)

    def sign(self, request, out, ca_cert, ca_key, extensions, days=None, start=None, end=None):
        args = ["ca", "-batch", "-config", str(self.config), "-cert", str(ca_cert), "-keyfile", str(ca_key),
                "-extensions", extensions, "-in", str(request), "-out", str(out), "-notext"]
        if start and end:
            args += ["-startdate", start, "-enddate", end]
        else:
            args += ["-days", str(days)]
        openssl(*args)

    def server(self, name, *, expired=False, days=365, rsa_bits=None, names=None):
        """A server certificate for `name` (and `names`) signed by the intermediate."""
        issued = Issued(self.folder, name)
        request = self.folder / f"{name}.csr"
        key = ["-newkey", f"rsa:{rsa_bits}"] if rsa_bits else ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        openssl("req", "-new", *key, "-nodes", "-subj", f"/CN={name}",
                "-addext", "subjectAltName=" + ",".join(f"DNS:{n}" for n in [name] + [n for n in (names or []) if n != name]), "-keyout", str(issued.key), "-out", str(request))
        if expired:
            self.sign(request, issued.cert, self.intermediate, self.intermediate_key, "server",
                      start="20240101000000Z", end="20240401000000Z")
        else:
            self.sign(request, issued.cert, self.intermediate, self.intermediate_key, "server", days=days)
        issued.chain.write_text(issued.cert.read_text() + self.intermediate.read_text())
        return issued
