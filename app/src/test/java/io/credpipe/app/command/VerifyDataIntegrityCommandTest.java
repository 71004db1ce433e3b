package io.credpipe.app.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.app.Credpipe;
import io.credpipe.issuer.Fixtures;
import io.credpipe.issuer.credential.CredentialAssembler;
import io.credpipe.issuer.credential.IssuerProfile;
import io.credpipe.issuer.signing.CredentialIssuer;
import io.credpipe.issuer.signing.DataIntegritySigner;
import io.credpipe.issuer.signing.DidWebDocument;
import io.credpipe.issuer.signing.IssuerKeys;
import io.credpipe.issuer.signing.PublishedKeys;
import io.credpipe.issuer.status.StatusLists;
import io.credpipe.model.credential.IssuedCredential;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code credpipe verify <id>.ld.json --did-document did.json --status-dir status}: a credential in
 * its Data Integrity form verified offline, as the demo's files allow, with the issuer's real keys,
 * DID document and signed status list; one changed value fails it.
 */
class VerifyDataIntegrityCommandTest {

    @TempDir
    Path dir;

    @Test
    void aDataIntegrityFileVerifiesOfflineFromTheSavedDidDocumentAndStatusLists() throws Exception {
        IssuerKeys keys = IssuerKeys.loadOrCreate(dir.resolve("keys"));
        PublishedKeys published = new PublishedKeys(keys, Fixtures.URLS);
        DidWebDocument did = new DidWebDocument(Fixtures.URLS);
        Clock clock = Clock.fixed(Instant.now(), ZoneOffset.UTC);
        StatusLists lists = new StatusLists(Fixtures.URLS);
        String listId = StatusLists.listId(0, 0);
        IssuedCredential issued = new CredentialIssuer(new CredentialAssembler(Fixtures.ISSUER, Fixtures.URLS), keys.identitySalts(),
                published.signer(), clock).issue(Fixtures.proficient(Fixtures.DANA), Fixtures.chemical(), lists.entry(listId, 7));
        Files.createDirectories(dir.resolve("status"));
        Files.writeString(dir.resolve("status").resolve(listId + ".jwt"), published.signer()
                .sign(lists.credential(StatusLists.empty(listId, clock.instant()), IssuerProfile.of(Fixtures.URLS, Fixtures.ISSUER.name()))).jwt());
        Files.writeString(dir.resolve("did.json"), did.document(published).toString());
        ObjectNode secured = published.dataIntegritySigner(did.did(), DataIntegritySigner.suite(), clock).secure(issued);
        Path file = Files.writeString(dir.resolve(issued.credentialId() + ".ld.json"), secured.toString());
        ((ObjectNode) secured.get("credentialSubject")).put("id", "did:example:someone-else");
        Path tampered = Files.writeString(dir.resolve("tampered.ld.json"), secured.toString());

        Run good = verify(file);
        Run bad = verify(tampered);

        assertThat(good.exit).as(good.out).isZero();
        assertThat(good.out).contains("VERIFIED").contains("eddsa-rdfc-2022").contains("not revoked");
        assertThat(bad.exit).isEqualTo(1);
        assertThat(bad.out).contains("signature");
    }

    private record Run(int exit, String out) {}

    private Run verify(Path file) {
        StringWriter out = new StringWriter();
        var cli = Credpipe.commandLine();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("verify", "--did-document", dir.resolve("did.json").toString(),
                "--status-dir", dir.resolve("status").toString(), file.toString());
        return new Run(exit, out.toString());
    }
}
