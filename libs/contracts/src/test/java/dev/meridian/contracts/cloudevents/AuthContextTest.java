package dev.meridian.contracts.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class AuthContextTest {

    @Test
    void travelsAsTheExtensionsTwoHeadersAndReplacesEarlierValues() {
        RecordHeaders headers = new RecordHeaders();
        AuthContext.user("forged-by-someone").writeTo(headers);

        AuthContext.user("itn-handler@eu-west").writeTo(headers);

        assertThat(headers.headers(AuthContext.ID_HEADER)).hasSize(1);
        assertThat(new String(headers.lastHeader(AuthContext.TYPE_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("user");
        assertThat(AuthContext.readFrom(headers)).contains(new AuthContext("user", "itn-handler@eu-west"));
    }

    @Test
    void aRecordWithoutBothHeadersOrWithABlankIdHasNone() {
        RecordHeaders onlyId = new RecordHeaders();
        onlyId.add(AuthContext.ID_HEADER, "someone".getBytes(StandardCharsets.UTF_8));
        RecordHeaders blank = new RecordHeaders();
        new AuthContext("user", " ").writeTo(blank);

        assertThat(AuthContext.readFrom(new RecordHeaders())).isEmpty();
        assertThat(AuthContext.readFrom(onlyId)).isEmpty();
        assertThat(AuthContext.readFrom(blank)).isEmpty();
    }
}
