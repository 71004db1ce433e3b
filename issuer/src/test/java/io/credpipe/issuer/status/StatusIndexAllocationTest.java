package io.credpipe.issuer.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StatusIndexAllocationTest {

    @Test
    void everyIndexIsHandedOutOnceUntilTheListIsFull() {
        SecureRandom random = new SecureRandom();
        StatusIndexAllocation allocation = StatusIndexAllocation.empty(256);
        Set<Integer> seen = new HashSet<>();

        for (int i = 0; i < 256; i++) {
            StatusIndexAllocation.Allocated allocated = allocation.allocate(random);
            assertThat(seen.add(allocated.index())).isTrue();
            assertThat(allocation.isTaken(allocated.index())).as("the previous allocation is unchanged").isFalse();
            allocation = allocated.allocation();
            assertThat(allocation.isTaken(allocated.index())).isTrue();
        }

        assertThat(seen).hasSize(256).allSatisfy(index -> assertThat(index).isBetween(0, 255));
        assertThat(allocation.isFull()).isTrue();
        StatusIndexAllocation full = allocation;
        assertThatThrownBy(() -> full.allocate(random)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theBitmapSurvivesSerialisation() {
        SplittableRandom random = new SplittableRandom(7);
        StatusIndexAllocation allocation = StatusIndexAllocation.empty(StatusLists.ENTRIES);
        for (int i = 0; i < 1000; i++) {
            allocation = allocation.allocate(random).allocation();
        }

        StatusIndexAllocation read = StatusIndexAllocation.fromBytes(allocation.toBytes());

        assertThat(read.taken()).isEqualTo(1000);
        assertThat(read.entries()).isEqualTo(StatusLists.ENTRIES);
        for (int index = 0; index < StatusLists.ENTRIES; index++) {
            assertThat(read.isTaken(index)).isEqualTo(allocation.isTaken(index));
        }
    }

    @Test
    void theLastFreeIndexIsFound() {
        SplittableRandom random = new SplittableRandom(1);
        StatusIndexAllocation allocation = StatusIndexAllocation.empty(128);
        for (int i = 0; i < 127; i++) {
            allocation = allocation.allocate(random).allocation();
        }
        int free = -1;
        for (int index = 0; index < 128; index++) {
            if (!allocation.isTaken(index)) {
                free = index;
            }
        }

        assertThat(allocation.allocate(random).index()).isEqualTo(free);
    }
}
