package io.credpipe.model.framework;

import java.util.Objects;

/**
 * The occupation a framework describes, as O*NET classifies it.
 *
 * @param soc the O*NET-SOC code, e.g. {@code 51-8091.00}
 * @param title the occupation title, e.g. {@code Chemical Plant and System Operators}
 * @param group the occupational group, when the export gives one
 * @param sector the NAICS sector, when the export gives one
 * @param jobZone the O*NET job zone (1–5), or {@code null}
 * @param jobZoneInferred whether the export inferred the job zone rather than taking it from O*NET,
 *     or {@code null} when the export does not say
 */
public record Occupation(String soc, String title, String group, String sector, Integer jobZone, Boolean jobZoneInferred) {

    public Occupation {
        Objects.requireNonNull(soc, "soc");
        Objects.requireNonNull(title, "title");
    }
}
