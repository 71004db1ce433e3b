package io.credpipe.issuer;

import io.credpipe.issuer.delivery.AccessLinkResolver;
import io.credpipe.issuer.delivery.DeliveryLog;
import io.credpipe.issuer.delivery.IssuerMetadata;
import io.credpipe.issuer.delivery.OfferCodes;
import io.credpipe.issuer.delivery.WalletEndpoints;
import io.credpipe.issuer.delivery.WalletIssuance;
import io.credpipe.issuer.delivery.WalletSettings;
import io.credpipe.issuer.delivery.WalletTokens;
import io.credpipe.issuer.http.WalletRoutes;
import io.credpipe.issuer.signing.WalletCopies;
import io.credpipe.issuer.stream.KafkaOfferLedger;
import io.credpipe.issuer.delivery.GuessLimiter;
import io.credpipe.issuer.http.GuessGuard;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.Objects;

/**
 * Wallet issuance (OpenID4VCI 1.0, pre-authorized code flow) of one issuer instance: wires
 * {@link WalletIssuance} to the issuer's credentials and keys, the shared offer log
 * ({@code wallet-offers}) and the routes. Every instance of the issuer can run one; they agree
 * through the log and the issuer's secret.
 */
public final class WalletService implements AutoCloseable {

    private final KafkaOfferLedger ownLedger;
    private final WalletIssuance issuance;
    private final WalletRoutes routes;
    private final GuessLimiter guesses = new GuessLimiter(Clock.systemUTC());

    /**
     * @param issuer the issuer whose credentials go to wallets
     * @param settings how offers behave
     * @param links opens operators' private links: the access-link store in a running pipeline
     * @param deliveries where offers, redemptions and wallet notifications are recorded: the
     *     {@code deliveries} topic in a running pipeline
     */
    public WalletService(IssuerService issuer, WalletSettings settings, AccessLinkResolver links, DeliveryLog deliveries) {
        Objects.requireNonNull(issuer, "issuer");
        Clock clock = Clock.systemUTC();
        this.ownLedger = new KafkaOfferLedger(issuer.config().kafka(), issuer.config().applicationId());
        WalletEndpoints endpoints = new WalletEndpoints(issuer.config().urls().base());
        this.issuance = new WalletIssuance(endpoints, settings,
                new OfferCodes(issuer.secretKey("wallet-offer-codes")),
                new WalletTokens(issuer.secretKey("wallet-tokens"), clock),
                ownLedger,
                issuer::operatorCredentials,
                new WalletCopies(issuer.signer()),
                Objects.requireNonNull(deliveries, "deliveries"),
                clock);
        this.routes = new WalletRoutes(issuance, new IssuerMetadata(endpoints, issuer.config().issuerName(),
                issuer.signer().algorithm().name()),
                issuer::frameworks, Objects.requireNonNull(links, "links"), issuer.config().issuerName());
    }

    /** The wallet issuance logic, e.g. for the demo to make an offer without a page. */
    public WalletIssuance issuance() {
        return issuance;
    }

    /** Adds the OpenID4VCI routes and the "Add to wallet" page. */
    public void addRoutes(Javalin http) {
        // Pre-authorized codes and tx_codes are limited per offer (RedemptionRule); guessing across offers, per client.
        new GuessGuard(guesses).guardTokenEndpoint(http, WalletEndpoints.TOKEN_PATH);
        routes.addTo(http);
    }

    @Override
    public void close() {
        ownLedger.close();
    }
}
