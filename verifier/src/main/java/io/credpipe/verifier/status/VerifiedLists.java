package io.credpipe.verifier.status;

import io.credpipe.model.credential.StatusBitstring;
import io.credpipe.verifier.jws.SignedJson;
import io.credpipe.verifier.jws.TrustedKeys;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Status list credentials whose signature one verifier has checked, so a list that many
 * credentials share is verified once, not once per credential. Only the signature check is kept:
 * a list is the same signed document as long as its token is (and its expanded bitstring the same
 * bits as long as its encoded text is), and the token is checked again with
 * the same keys only; its validity period and contents are judged at every use. A list the source
 * serves anew (a new token) is verified anew. The least recently used entry makes room beyond
 * {@link #MAX_ENTRIES}. Thread-safe.
 */
public final class VerifiedLists {

    /** How many verified lists are kept. */
    public static final int MAX_ENTRIES = 64;

    private record Key(String token, TrustedKeys keys) {}

    private final Map<Key, SignedJson> verified = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, SignedJson> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private record Expansion(String encodedList, int statusSize) {}

    /** Expanded lists by their encoded text: expanding (gunzip) cost a tenth of a verification otherwise. */
    private final Map<Expansion, StatusBitstring> expanded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Expansion, StatusBitstring> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /**
     * {@link StatusBitstring#expand} of a list's {@code encodedList}, from memory when it was
     * expanded before (the bitstring is immutable, so every verification may share it).
     *
     * @param encodedList the list's {@code encodedList}
     * @param statusSize  the bits per entry
     * @return the bitstring
     * @throws IllegalArgumentException as {@link StatusBitstring#expand} does; a failure is not kept
     */
    public StatusBitstring expand(String encodedList, int statusSize) {
        Expansion key = new Expansion(Objects.requireNonNull(encodedList, "encodedList"), statusSize);
        synchronized (expanded) {
            StatusBitstring known = expanded.get(key);
            if (known != null) {
                return known;
            }
        }
        StatusBitstring bits = StatusBitstring.expand(encodedList, statusSize);
        synchronized (expanded) {
            expanded.put(key, bits);
        }
        return bits;
    }

    /**
     * The verification of {@code token} with {@code keys}, from memory when it was done before.
     *
     * @param token a status list credential as served
     * @param keys  the keys it must be signed with
     * @return the verified payload, or why it does not verify
     */
    public SignedJson verify(String token, TrustedKeys keys) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(keys, "keys");
        Key key = new Key(token, keys);
        synchronized (verified) {
            SignedJson known = verified.get(key);
            if (known != null) {
                return known;
            }
        }
        SignedJson result = SignedJson.verify(token, keys);
        synchronized (verified) {
            verified.put(key, result);
        }
        return result;
    }
}
