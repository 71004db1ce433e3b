package io.credpipe.ingest.intake;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Whether a string is an e-mail address, by its syntax alone: an RFC 5321 §4.1.2 {@code Mailbox}
 * (a dot-string or quoted-string local part, {@code @}, a domain or an address literal) with the
 * internationalised forms of RFC 6531 §3.3 (UTF-8 in the local part, U-labels in the domain).
 *
 * <p>No list of top-level domains is consulted. HR systems hold addresses under reserved and private
 * names ({@code .example}, RFC 2606; {@code .local}, RFC 6762; {@code .internal}, {@code .corp}),
 * which a validator that checks the TLD against the public list refuses
 * (networknt/json-schema-validator#1170, as Apache Commons Validator does); and a list would refuse a
 * new TLD until the next library release. Whether a domain exists is not a question of syntax.
 * U-labels are checked with the JDK's IDNA ({@link IDN#toASCII(String, int)}), not a pattern.
 *
 * <p>Comments and folding white space (RFC 5322 §3.2.2) are not accepted: they are not part of an
 * address, and an HR system that sends them sends a display form rather than the address.
 */
public final class EmailAddress {

    /** RFC 6531 §3.3 {@code UTF8-non-ascii}, without control, format, unassigned or space characters. */
    private static final String NON_ASCII = "[\\P{ASCII}&&[^\\p{C}\\p{Z}]]";
    /** RFC 5321 §4.1.2 {@code Atom} characters (RFC 5322 {@code atext}), widened by RFC 6531. */
    private static final String ATEXT = "(?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]|" + NON_ASCII + ")";
    private static final Pattern DOT_STRING = Pattern.compile(ATEXT + "+(?:\\." + ATEXT + "+)*");
    /** RFC 5321 §4.1.2 {@code Quoted-string}: {@code qtextSMTP} or {@code quoted-pairSMTP}, widened by RFC 6531. */
    private static final Pattern QUOTED_STRING = Pattern.compile("\"(?:[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]|\\\\[\\x20-\\x7E]|" + NON_ASCII + ")*\"");
    /** RFC 1035 §2.3.1 / RFC 5321 §4.1.2 {@code sub-domain} in its ASCII form (letters, digits, hyphens inside). */
    private static final Pattern LDH_LABEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern IPV4 = Pattern.compile("([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})\\.([0-9]{1,3})");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    /** RFC 5321 §4.5.3.1.1 and §4.5.3.1.2, in octets. */
    private static final int MAX_LOCAL_PART = 64;
    private static final int MAX_DOMAIN = 255;

    private EmailAddress() {}

    /**
     * Whether {@code address} is a mailbox.
     *
     * @param address the text, exactly as sent (no trimming: leading or trailing space is an error)
     * @return {@code true} when it is an RFC 5321 / RFC 6531 mailbox
     */
    public static boolean isMailbox(String address) {
        if (address == null) {
            return false;
        }
        // The last @ separates: a quoted local part may itself contain one.
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        return localPart(address.substring(0, at)) && domain(address.substring(at + 1));
    }

    private static boolean localPart(String local) {
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_PART) {
            return false;
        }
        return local.startsWith("\"") ? QUOTED_STRING.matcher(local).matches() : DOT_STRING.matcher(local).matches();
    }

    private static boolean domain(String domain) {
        if (domain.startsWith("[") && domain.endsWith("]")) {
            return addressLiteral(domain.substring(1, domain.length() - 1));
        }
        String[] labels = domain.split("\\.", -1);
        // RFC 5321 §2.3.5: a fully-qualified name; a dotless one only works inside one mail system.
        if (labels.length < 2) {
            return false;
        }
        int octets = labels.length - 1;
        for (String label : labels) {
            String ascii = asciiLabel(label);
            if (ascii == null) {
                return false;
            }
            octets += ascii.length();
        }
        // RFC 3696 §2: a top-level domain is never all digits (that is an IP address without brackets).
        return octets <= MAX_DOMAIN && !DIGITS.matcher(labels[labels.length - 1]).matches();
    }

    /** The label's ASCII form (the label itself, or the A-label of a U-label), or {@code null} when it is not a label. */
    private static String asciiLabel(String label) {
        if (label.isEmpty()) {
            return null;
        }
        String ascii;
        try {
            ascii = label.chars().allMatch(c -> c < 0x80) ? label : IDN.toASCII(label, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // IDN maps ideographic full stops to '.', which would make one label two: the pattern refuses it.
        return LDH_LABEL.matcher(ascii).matches() ? ascii : null;
    }

    /** RFC 5321 §4.1.3: an IPv4 literal or {@code IPv6:} and an IPv6 address; no other tag is registered. */
    private static boolean addressLiteral(String literal) {
        if (literal.regionMatches(true, 0, "IPv6:", 0, 5)) {
            return ipv6(literal.substring(5));
        }
        return ipv4(literal);
    }

    private static boolean ipv4(String text) {
        var matcher = IPV4.matcher(text);
        if (!matcher.matches()) {
            return false;
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(matcher.group(i)) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * RFC 5321 §4.1.3 {@code IPv6-addr}: eight groups, or at most six around one {@code ::}; a trailing
     * IPv4 address counts as two groups.
     */
    private static boolean ipv6(String text) {
        String groups = text;
        int lastColon = text.lastIndexOf(':');
        if (lastColon >= 0 && text.indexOf('.', lastColon) > 0) {
            if (!ipv4(text.substring(lastColon + 1))) {
                return false;
            }
            groups = text.substring(0, lastColon + 1) + "0:0";
        }
        int compressed = groups.indexOf("::");
        if (compressed < 0) {
            return hexGroups(groups) == 8;
        }
        if (groups.indexOf("::", compressed + 1) >= 0) {
            return false;
        }
        int left = hexGroups(groups.substring(0, compressed));
        int right = hexGroups(groups.substring(compressed + 2));
        return left >= 0 && right >= 0 && left + right <= 6;
    }

    /** How many colon-separated hex groups {@code text} holds, or -1 when one is not a group. */
    private static int hexGroups(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        String[] parts = text.split(":", -1);
        for (String part : parts) {
            if (!HEX_GROUP.matcher(part).matches()) {
                return -1;
            }
        }
        return parts.length;
    }
}
