package io.credpipe.app.demo;

import com.google.zxing.common.BitMatrix;
import io.credpipe.app.Pipeline;
import io.credpipe.issuer.delivery.QrCode;
import io.credpipe.issuer.delivery.WalletIssuance;
import io.credpipe.issuer.status.CredentialRecord;
import io.credpipe.model.credential.IssuedCredential;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * The demo's wallet step: makes an OpenID4VCI offer of one operator's current credential, as the
 * "Add to wallet" page does, writes its QR code to {@code out/wallet/<operator>.png}, and checks that
 * the offer it encodes can be fetched, as a wallet scanning it would.
 */
public final class WalletDemo {

    /** Pixels per QR module: about 5 cm across on a screen, easy for a phone camera. */
    private static final int SCALE = 8;

    private final Pipeline pipeline;
    private final Path out;
    private final PrintWriter console;

    public WalletDemo(Pipeline pipeline, Path out, PrintWriter console) {
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.out = Objects.requireNonNull(out, "out");
        this.console = Objects.requireNonNull(console, "console");
    }

    /**
     * Offers the first of {@code current} (current credentials, by id) that the issuer can offer.
     *
     * @return the PNG written, or empty when there was nothing to offer
     */
    public Optional<Path> writeOffer(List<IssuedCredential> current) throws IOException, InterruptedException {
        WalletIssuance wallet = pipeline.wallet().orElseThrow(() -> new IllegalStateException("no issuer runs")).issuance();
        for (IssuedCredential credential : current.stream()
                .sorted(java.util.Comparator.comparing(IssuedCredential::credentialId)).toList()) {
            Optional<CredentialRecord> offerable = wallet.offerable(credential.operatorId(), credential.credentialId());
            if (offerable.isEmpty()) {
                continue;
            }
            WalletIssuance.OfferView offer = wallet.offer(offerable.get());
            HttpResponse<String> fetched = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(offer.credentialOfferUri())).build(), HttpResponse.BodyHandlers.ofString());
            if (fetched.statusCode() != 200) {
                throw new IllegalStateException("the wallet offer could not be fetched: " + fetched.statusCode());
            }
            Path dir = Files.createDirectories(out.resolve("wallet"));
            Path png = dir.resolve(credential.operatorId().replaceAll("[^A-Za-z0-9._-]", "_") + ".png");
            ImageIO.write(image(QrCode.matrix(offer.offerLink())), "png", png.toFile());
            console.printf("Wallet offer (OpenID4VCI, pre-authorized code) of %s's %s %s credential: scan %s with a wallet "
                    + "app until %s%s.%n", credential.operatorId(), credential.framework(), credential.level().id(), png,
                    offer.expiresAt(), offer.txCode().map(code -> " (transaction code " + code + ")").orElse(""));
            return Optional.of(png);
        }
        console.printf("No current credential could be offered to a wallet.%n");
        return Optional.empty();
    }

    private static BufferedImage image(BitMatrix matrix) {
        BufferedImage image = new BufferedImage(matrix.getWidth() * SCALE, matrix.getHeight() * SCALE,
                BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, matrix.get(x / SCALE, y / SCALE) ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        return image;
    }
}
