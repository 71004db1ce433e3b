package io.credpipe.issuer.status;

import static io.credpipe.issuer.Fixtures.DANA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.credpipe.issuer.Fixtures;
import io.credpipe.model.decision.LevelAchieved;
import io.credpipe.model.framework.Level;
import io.credpipe.model.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IssuedEntryTest {

    private static final ObjectMapper JSON = Json.newMapper();
    private static final Instant LAPSES = Instant.parse("2027-05-20T09:30:00Z");

    @Test
    void aNewEntryNamesItsAchievementWithoutHoldingIt() throws Exception {
        LevelAchieved achievement = Fixtures.achieved(DANA, Level.PROFICIENT, LAPSES);

        IssuedEntry entry = IssuedEntry.issued(achievement, new StatusLists.Position("0-0", 7), 0);
        ObjectNode written = JSON.valueToTree(entry);

        assertThat(entry.achievementRecorded()).isTrue();
        assertThat(entry.framework()).isEqualTo(achievement.framework());
        assertThat(entry.level()).isEqualTo(Level.PROFICIENT);
        assertThat(entry.validUntil()).isEqualTo(LAPSES);
        assertThat(written.has("achievement")).isFalse();
        assertThat(written.toString()).doesNotContain(achievement.statements().get(0).statementId());
        assertThat(JSON.readValue(JSON.writeValueAsBytes(entry), IssuedEntry.class)).isEqualTo(entry);
        IssuedEntry superseded = entry.supersededBy("c-renewal");
        assertThat(JSON.readValue(JSON.writeValueAsBytes(superseded), IssuedEntry.class)).isEqualTo(superseded);
    }

    @Test
    void anEntryWrittenWithTheWholeAchievementReadsAsANewOne() throws Exception {
        LevelAchieved achievement = Fixtures.achieved(DANA, Level.PROFICIENT, LAPSES);
        // The shape the issued store held from 2026-12-04 to 12-06.
        ObjectNode legacy = JSON.createObjectNode()
                .put("operatorId", DANA.id()).put("listId", "0-0").put("index", 7).put("reissue", 0)
                .put("revokedBecause", "because").put("suspended", true);
        legacy.set("achievement", JSON.valueToTree(achievement));

        IssuedEntry read = JSON.treeToValue(legacy, IssuedEntry.class);

        assertThat(read.achievement()).isEqualTo(achievement);
        assertThat(read.achievementRecorded()).isTrue();
        assertThat(read.framework()).isEqualTo(achievement.framework());
        assertThat(read.level()).isEqualTo(Level.PROFICIENT);
        assertThat(read.validUntil()).isEqualTo(LAPSES);
        assertThat(read.supersededBy()).as("no entry of that time knew of renewals").isNull();
        assertThat(StatusRules.command(read, io.credpipe.model.credential.StatusAction.REINSTATE, "asked"))
                .isEqualTo(new StatusRules.Reissue(1));
    }

    @Test
    void anEntryOfATwoBitListHasNoAchievementToIssueAgain() {
        IssuedEntry entry = new IssuedEntry(DANA.id(), "0-0", 7).revokedFor("because", true);

        assertThat(entry.achievementRecorded()).isFalse();
        assertThat(StatusRules.command(entry, io.credpipe.model.credential.StatusAction.REINSTATE, "asked"))
                .isInstanceOf(StatusRules.None.class);
    }

    @Test
    void aFrameworkWithoutALevelIsRefused() {
        assertThatThrownBy(() -> new IssuedEntry(DANA.id(), "0-0", 7, Fixtures.CHEMICAL, null, null, null, 0, null,
                false, null, false, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
