package io.credpipe.model.page;

import io.credpipe.model.problem.Problem;
import io.credpipe.model.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One page of a list route (issue 16.6: every list is paged): at most {@code limit} items after
 * the opaque {@code cursor}, and the cursor of the next page when there is one.
 *
 * <p>Cursors are keyset cursors: the base64url of the last item's key, so that a page boundary
 * stays put when items are added after it (lists are in a fixed order: oldest first, or by id).
 * Clients must treat them as opaque; the {@code next} link carries them.
 *
 * @param items      the items of this page
 * @param nextCursor the cursor of the next page; {@code null} on the last
 * @param <T>        the item type
 */
public record Page<T>(List<T> items, String nextCursor) {

    /** Items on a page when the request names no {@code limit}. */
    public static final int DEFAULT_LIMIT = 100;

    /** The largest {@code limit} a request may name. */
    public static final int MAX_LIMIT = 1000;

    /** A page. */
    public Page {
        items = List.copyOf(items);
    }

    /**
     * What a request asks for.
     *
     * @param limit  how many items at most
     * @param after  the key of the last item already seen; {@code null} for the first page
     */
    public record Request(int limit, String after) {

        /**
         * Reads the {@code limit} and {@code cursor} query parameters.
         *
         * @param limit  the {@code limit} parameter, or {@code null}
         * @param cursor the {@code cursor} parameter, or {@code null}
         * @return the request
         * @throws ProblemException 400 {@code invalid-page} for a limit out of 1..{@value #MAX_LIMIT}
         *     or a cursor this server did not make
         */
        public static Request of(String limit, String cursor) {
            int n = DEFAULT_LIMIT;
            if (limit != null && !limit.isBlank()) {
                try {
                    n = Integer.parseInt(limit.strip());
                } catch (NumberFormatException e) {
                    n = -1;
                }
                if (n < 1 || n > MAX_LIMIT) {
                    throw invalid("limit must be a whole number from 1 to " + MAX_LIMIT, "limit");
                }
            }
            String after = null;
            if (cursor != null && !cursor.isEmpty()) {
                try {
                    String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                    if (!decoded.startsWith("k:")) {
                        throw new IllegalArgumentException("not a cursor");
                    }
                    after = decoded.substring(2);
                } catch (IllegalArgumentException e) {
                    throw invalid("cursor is not one this server gave; follow the next link of the previous page", "cursor");
                }
            }
            return new Request(n, after);
        }

        private static ProblemException invalid(String detail, String parameter) {
            return new ProblemException(Problem.of("invalid-page", "Invalid page request", 400, detail)
                    .withErrors(List.of(new Problem.FieldError(parameter, detail))));
        }
    }

    /**
     * The page of {@code all} a request asks for.
     *
     * @param all     every item, in the list's fixed order
     * @param key     each item's unique key in that order
     * @param request the request
     * @param <T>     the item type
     * @return the items after the cursor's key, at most {@code limit}, and the next cursor
     */
    public static <T> Page<T> of(List<T> all, Function<T, String> key, Request request) {
        Objects.requireNonNull(request, "request");
        int from = 0;
        if (request.after() != null) {
            from = all.size();
            for (int i = 0; i < all.size(); i++) {
                if (key.apply(all.get(i)).equals(request.after())) {
                    from = i + 1;
                    break;
                }
            }
        }
        int to = Math.min(all.size(), from + request.limit());
        List<T> items = all.subList(from, to);
        String next = to < all.size() ? cursor(key.apply(all.get(to - 1))) : null;
        return new Page<>(items, next);
    }

    /**
     * The cursor that resumes after the item with {@code key}.
     *
     * @param key an item's key
     * @return the opaque cursor
     */
    public static String cursor(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("k:" + key).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The {@code next} link of this page: {@code path} with the limit and the next cursor.
     *
     * @param path    the route's path, without a query
     * @param request the request this page answered
     * @return the link, or {@code null} on the last page
     */
    public String nextLink(String path, Request request) {
        return nextCursor == null ? null : path + "?limit=" + request.limit() + "&cursor=" + nextCursor;
    }
}
