package net.braid.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IniParserTest {

    @Test
    void readsSectionsEntriesAndLineNumbers() throws Exception {
        IniDocument doc = IniParser.parse("""
                # a portal
                [Interface]
                PrivateKey = abc=
                  Address=198.18.0.1/24 ,2001:db8::1/64

                [Peer]
                PublicKey = def=
                [Peer]
                PublicKey = ghi=
                """);
        assertThat(doc.sections()).extracting(IniSection::name).containsExactly("Interface", "Peer", "Peer");
        assertThat(doc.sections()).extracting(IniSection::line).containsExactly(2, 6, 8);
        IniSection iface = doc.sections().getFirst();
        assertThat(iface.entries()).containsExactly(
                new IniEntry("PrivateKey", "abc=", 3),
                new IniEntry("Address", "198.18.0.1/24 ,2001:db8::1/64", 4));
        assertThat(iface.entries().get(1).items()).containsExactly("198.18.0.1/24", "2001:db8::1/64");
        assertThat(doc.all("peer")).hasSize(2);
        assertThat(doc.all("PEER").get(1).entries().getFirst().value()).isEqualTo("ghi=");
    }

    @Test
    void stripsWholeLineAndTrailingCommentsOfBothKinds() throws Exception {
        IniDocument doc = IniParser.parse("""
                ; header comment
                [Interface] # trailing after a header
                MTU = 1400 # why: PPPoE below
                ListenPort = 51820;no space before
                #Name = hidden
                """);
        assertThat(doc.sections().getFirst().entries()).containsExactly(
                new IniEntry("MTU", "1400", 3), new IniEntry("ListenPort", "51820", 4));
    }

    @Test
    void keysAndSectionsIgnoreCaseButKeepTheirSpelling() throws Exception {
        IniSection section = IniParser.parse("[interface]\nmtu = 1400\nAllowedips = 198.18.0.0/24\n").sections().getFirst();
        assertThat(section.is("Interface")).isTrue();
        assertThat(section.name()).isEqualTo("interface");
        assertThat(section.all("MTU")).singleElement().extracting(IniEntry::key).isEqualTo("mtu");
        assertThat(section.all("AllowedIPs")).hasSize(1);
    }

    @Test
    void repeatedKeysAreAllKeptInOrder() throws Exception {
        IniSection section = IniParser.parse("""
                [Peer]
                AllowedIPs = 198.18.1.0/24
                AllowedIPs = 198.18.2.0/24, 2001:db8:2::/48,
                """).sections().getFirst();
        assertThat(section.all("AllowedIPs")).extracting(IniEntry::line).containsExactly(2, 3);
        assertThat(section.all("AllowedIPs").get(1).items()).containsExactly("198.18.2.0/24", "2001:db8:2::/48");
    }

    @Test
    void toleratesCrLfByteOrderMarkBlankValuesAndSpacesInHeaders() throws Exception {
        IniDocument doc = IniParser.parse("\uFEFF[ Interface ]\r\nAddress =\r\n\r\n[Peer]\rPublicKey=x\n");
        assertThat(doc.sections()).extracting(IniSection::name).containsExactly("Interface", "Peer");
        assertThat(doc.sections().getFirst().entries()).containsExactly(new IniEntry("Address", "", 2));
        assertThat(doc.sections().getFirst().entries().getFirst().items()).isEmpty();
        assertThat(doc.sections().get(1).entries()).containsExactly(new IniEntry("PublicKey", "x", 5));
    }

    @Test
    void valueKeepsEverythingAfterTheFirstEquals() throws Exception {
        IniEntry entry = IniParser.parse("[Interface]\nPrivateKey = aGVsbG8=\n").sections().getFirst().entries().getFirst();
        assertThat(entry.value()).isEqualTo("aGVsbG8=");
    }

    @Test
    void reportsEverySyntaxErrorWithLineAndText() {
        assertThatThrownBy(() -> IniParser.parse("""
                MTU = 1400
                [Interface
                [Inter face]
                [Interface]
                just words
                = 5
                Mtu Size = 3
                [Peer] trailing
                """))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::message)
                        .containsExactly(
                                "syntax error at line 1: expected [Section] before the first key; given 'MTU = 1400'",
                                "syntax error at line 2: expected [Section]; given '[Interface'",
                                "syntax error at line 3: expected [Section]; given '[Inter face]'",
                                "syntax error at line 5: expected [Section] or Key = Value; given 'just words'",
                                "syntax error at line 6: expected a key of letters and digits before '='; given '= 5'",
                                "syntax error at line 7: expected a key of letters and digits before '='; given 'Mtu Size = 3'",
                                "syntax error at line 8: expected [Section]; given '[Peer] trailing'"))
                .hasMessageStartingWith("syntax error at line 1: expected [Section] before the first key; given 'MTU = 1400'\n"
                        + "syntax error at line 2:");
    }

    @Test
    void keysUnderABrokenHeaderAreNotAttachedToTheSectionBefore() {
        List<ConfigError> errors = new java.util.ArrayList<>();
        IniDocument doc = IniParser.parse("[Interface]\nMTU = 1400\n[Pe-er]\nPublicKey = x\n", errors);
        assertThat(errors).hasSize(1);
        assertThat(doc.sections()).singleElement().satisfies(s -> assertThat(s.entries()).hasSize(1));
    }

    @Test
    void emptyTextIsAnEmptyDocument() throws Exception {
        assertThat(IniParser.parse("").sections()).isEmpty();
        assertThat(IniParser.parse("\n# only a comment\n").sections()).isEmpty();
    }
}
