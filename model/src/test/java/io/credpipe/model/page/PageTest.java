package io.credpipe.model.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.credpipe.model.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class PageTest {

    private static final List<String> ITEMS = List.of("a", "b", "c", "d", "e");

    @Test
    void pagesWalkTheWholeListOnceByTheirCursors() {
        List<String> seen = new ArrayList<>();
        Page.Request request = Page.Request.of("2", null);
        int pages = 0;
        while (true) {
            Page<String> page = Page.of(ITEMS, Function.identity(), request);
            seen.addAll(page.items());
            pages++;
            if (page.nextCursor() == null) {
                break;
            }
            assertThat(page.nextLink("/v1/x", request)).isEqualTo("/v1/x?limit=2&cursor=" + page.nextCursor());
            request = Page.Request.of("2", page.nextCursor());
        }
        assertThat(seen).isEqualTo(ITEMS);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void aPageBoundaryStaysPutWhenItemsAreAddedAfterIt() {
        Page<String> first = Page.of(ITEMS, Function.identity(), Page.Request.of("2", null));
        List<String> grown = new ArrayList<>(ITEMS);
        grown.add("f");

        assertThat(Page.of(grown, Function.identity(), Page.Request.of("2", first.nextCursor())).items()).containsExactly("c", "d");
    }

    @Test
    void theDefaultLimitAppliesAndBadParametersAre400() {
        assertThat(Page.Request.of(null, null).limit()).isEqualTo(Page.DEFAULT_LIMIT);
        assertThat(Page.of(ITEMS, Function.identity(), Page.Request.of(null, null)).nextCursor()).isNull();
        for (String limit : new String[] {"0", "1001", "x", "-3"}) {
            assertThatThrownBy(() -> Page.Request.of(limit, null)).isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(400));
        }
        assertThatThrownBy(() -> Page.Request.of(null, "bm90LWEtY3Vyc29y")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> Page.Request.of(null, "***")).isInstanceOf(ProblemException.class);
    }
}
