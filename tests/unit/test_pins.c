/* SPDX-License-Identifier: MIT */
/* Unit tests for the certificate pin store, core/pins.c. */
#include "unit.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "core/pins.h"

/* Two self-signed certificates made with openssl req -x509 for the tests. */
#define CERT1                                                                 \
    "-----BEGIN CERTIFICATE-----\n"                                           \
    "MIIBnzCCAUSgAwIBAgIUZactfTe5uu7p1xIIOgBgr4h7RHcwCgYIKoZIzj0EAwIw\n"      \
    "FzEVMBMGA1UEAwwMdW5pdC5leGFtcGxlMCAXDTI2MTEyMjA2MTE1MFoYDzIxMjYx\n"      \
    "MDI5MDYxMTUwWjAXMRUwEwYDVQQDDAx1bml0LmV4YW1wbGUwWTATBgcqhkjOPQIB\n"      \
    "BggqhkjOPQMBBwNCAAR6Jv9Ro1L5yM14ljZOUoJbdWnE3hUfgzPkrKr2y9UYsmcC\n"      \
    "7AA7Fgil6o9qY8Kp+xld04CiCZWLtxKtZtN1/vwvo2wwajAdBgNVHQ4EFgQUvY+S\n"      \
    "VS5QtJPQsWmqpyocxVBdiSkwHwYDVR0jBBgwFoAUvY+SVS5QtJPQsWmqpyocxVBd\n"      \
    "iSkwDwYDVR0TAQH/BAUwAwEB/zAXBgNVHREEEDAOggx1bml0LmV4YW1wbGUwCgYI\n"      \
    "KoZIzj0EAwIDSQAwRgIhAJKW++j+AhSJhwoBBjXW6w6YKmWMijdRF4quvtTheZNc\n"      \
    "AiEA2FXFOfgd4/DwspeVGbyhchKqjetChpWKDO+46cpPS3M=\n"                      \
    "-----END CERTIFICATE-----\n"
#define CERT1_SHA256                                                          \
    "76:3A:A2:E5:2C:00:65:51:02:A7:F2:78:5D:98:7D:3B:0E:D9:67:A3:64:B6:E7:"   \
    "AB:FF:21:6C:CF:9F:7D:B9:AD"
#define CERT2                                                                 \
    "-----BEGIN CERTIFICATE-----\n"                                           \
    "MIIBhjCCAS2gAwIBAgIUFHs92w/s9NmqZGKrmMslYaIn/pkwCgYIKoZIzj0EAwIw\n"      \
    "GDEWMBQGA1UEAwwNb3RoZXIuZXhhbXBsZTAgFw0yNjExMjIwNjExNTBaGA8yMTI2\n"      \
    "MTAyOTA2MTE1MFowGDEWMBQGA1UEAwwNb3RoZXIuZXhhbXBsZTBZMBMGByqGSM49\n"      \
    "AgEGCCqGSM49AwEHA0IABB9TU5dtLeWl2+4aPnPQKWn7hOgN4d7aMzaySraXS0js\n"      \
    "ytRGp19NNHAeod2s+AK78Dlkm7nVchb358xOPPQkK1KjUzBRMB0GA1UdDgQWBBTv\n"      \
    "0Rup7Qzlm1ndq4Y1/QJ8z+3FvDAfBgNVHSMEGDAWgBTv0Rup7Qzlm1ndq4Y1/QJ8\n"      \
    "z+3FvDAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIHL2IED5x0Ss\n"      \
    "Ihw8TFmZ+PaMaVG/k7+32VM2kFeNtwSSAiAyPngIkDp/6IUzNYI+E3Uh73yFrzNY\n"      \
    "X1kGwFO/dyOmZQ==\n"                                                      \
    "-----END CERTIFICATE-----\n"
#define CERT2_SHA256                                                          \
    "03:99:69:75:51:23:A3:17:41:64:48:D1:F8:54:90:46:E2:5A:9B:D2:5F:24:66:"   \
    "98:66:BE:86:4C:1E:2D:88:BC"

static char *tmp; /* XDG_DATA_HOME of the running test */

/* Each test gets an empty data directory of its own. */
static int
setup(void **state)
{
    tmp = g_dir_make_tmp("natter-pins-XXXXXX", NULL);
    if (tmp == NULL)
        return -1;
    g_setenv("XDG_DATA_HOME", tmp, TRUE);
    return 0;
}

/* Remove a directory tree (only what the tests create: two levels). */
static void
rm_tree(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    const char *name;

    if (d != NULL) {
        while ((name = g_dir_read_name(d)) != NULL) {
            char *child = g_build_filename(path, name, NULL);
            if (g_file_test(child, G_FILE_TEST_IS_DIR))
                rm_tree(child);
            else
                g_unlink(child);
            g_free(child);
        }
        g_dir_close(d);
    }
    g_rmdir(path);
}

/* Remove the test's data directory. */
static int
teardown(void **state)
{
    rm_tree(tmp);
    g_free(tmp);
    tmp = NULL;
    return 0;
}

/* Permission bits of path, -1 if it does not exist. */
static int
mode_of(const char *path)
{
    struct stat st;

    if (g_stat(path, &st) != 0)
        return -1;
    return (int)(st.st_mode & 07777);
}

/* Number of entries in directory path. */
static int
entries(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    int n = 0;

    if (d == NULL)
        return -1;
    while (g_dir_read_name(d) != NULL)
        n++;
    g_dir_close(d);
    return n;
}

/* Pins live under $XDG_DATA_HOME/natter/certs. */
static void
test_dir_follows_xdg(void **state)
{
    char *dir = pins_dir();
    char *want = g_build_filename(tmp, "natter", "certs", NULL);

    assert_string_equal(dir, want);
    g_free(dir);
    g_free(want);
}

/* A saved pin can be found and read back; the files are private. */
static void
test_save_and_load(void **state)
{
    char *cause = NULL, *path, *pem, *dir;

    assert_null(pins_path("alice@example.org"));
    assert_true(pins_save("alice@example.org", CERT1, NULL, &cause));
    assert_null(cause);
    path = pins_path("alice@example.org");
    assert_non_null(path);
    assert_contains(path, "/natter/certs/alice@example.org.pem");
    assert_int_equal(mode_of(path), 0600);
    dir = pins_dir();
    assert_int_equal(mode_of(dir), 0700);
    pem = pins_load("alice@example.org", &cause);
    assert_non_null(pem);
    assert_string_equal(pem, CERT1);
    g_free(pem);
    g_free(path);
    g_free(dir);
}

/* The fingerprint is the SHA-256 of the DER, as openssl x509 prints it. */
static void
test_fingerprint(void **state)
{
    char *cause = NULL, *fp;

    fp = pins_pem_fingerprint(CERT1, &cause);
    assert_string_equal(fp, CERT1_SHA256);
    g_free(fp);
    fp = pins_pem_fingerprint(CERT2, &cause);
    assert_string_equal(fp, CERT2_SHA256);
    g_free(fp);
    assert_true(pins_save("bob", CERT2, NULL, &cause));
    fp = pins_fingerprint("bob", &cause);
    assert_string_equal(fp, CERT2_SHA256);
    g_free(fp);
}

/* Saving again replaces the pin, leaving no temporary files behind. */
static void
test_replace_is_clean(void **state)
{
    char *cause = NULL, *fp, *dir;

    assert_true(pins_save("alice", CERT1, NULL, &cause));
    assert_true(pins_save("alice", CERT2, NULL, &cause));
    fp = pins_fingerprint("alice", &cause);
    assert_string_equal(fp, CERT2_SHA256);
    dir = pins_dir();
    assert_int_equal(entries(dir), 1);
    g_free(fp);
    g_free(dir);
}

/* Only the first certificate of a chain is pinned; text around it goes. */
static void
test_first_of_chain(void **state)
{
    char *cause = NULL, *pem;

    assert_true(
        pins_save("carol", "leading text\n" CERT1 CERT2 "junk", NULL, &cause));
    pem = pins_load("carol", &cause);
    assert_string_equal(pem, CERT1);
    g_free(pem);
}

/* CRLF line ends and unwrapped base64 are accepted and normalised. */
static void
test_crlf_and_wrapping(void **state)
{
    char *cause = NULL, *fp, *pem;
    GString *one = g_string_new(NULL);

    /* The same certificate with its base64 on one line, CRLF ends. */
    for (const char *p = CERT1; *p != '\0'; p++) {
        if (*p == '\n')
            continue;
        g_string_append_c(one, *p);
        if (g_str_has_suffix(one->str, "-----BEGIN CERTIFICATE-----"))
            g_string_append(one, "\r\n");
    }
    g_string_replace(one, "-----END", "\r\n-----END", 1);
    fp = pins_pem_fingerprint(one->str, &cause);
    assert_string_equal(fp, CERT1_SHA256);
    assert_true(pins_save("dave", one->str, NULL, &cause));
    pem = pins_load("dave", &cause);
    assert_string_equal(pem, CERT1); /* rewrapped at 64 columns */
    g_free(pem);
    g_free(fp);
    g_string_free(one, TRUE);
}

/* What is no certificate is refused, and nothing is written. */
static void
test_rejects_garbage(void **state)
{
    static const char *const bad[] = {
        "",
        "hello",
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\nMIIBnzCCAUSg\n", /* no end line */
    };
    char *cause = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        assert_false(pins_save("eve", bad[i], NULL, &cause));
        assert_non_null(cause);
        g_free(cause);
        cause = NULL;
        assert_null(pins_pem_fingerprint(bad[i], &cause));
        assert_non_null(cause);
        g_free(cause);
        cause = NULL;
    }
    assert_false(pins_save("eve", NULL, NULL, &cause));
    g_free(cause);
    cause = NULL;
    assert_false(pins_save("", CERT1, NULL, &cause));
    g_free(cause);
    assert_null(pins_path("eve"));
}

/* Removing a pin deletes its file; removing it again says there is none. */
static void
test_remove(void **state)
{
    char *cause = NULL;

    assert_true(pins_save("frank", CERT1, NULL, &cause));
    assert_true(pins_remove("frank", &cause));
    assert_null(pins_path("frank"));
    assert_false(pins_remove("frank", &cause));
    assert_contains(cause, "No certificate is pinned for frank");
    g_free(cause);
    cause = NULL;
    assert_null(pins_fingerprint("frank", &cause));
    assert_non_null(cause);
    g_free(cause);
}

/* No account name leaves the directory or clashes with another. */
static void
test_names_are_escaped(void **state)
{
    static const char *const names[] = {
        "../escape", "a/b", "a%2Fb", ".hidden", "..", "tab\tname", "ünï",
    };
    char *cause = NULL, *dir = pins_dir();

    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *path, *base, *parent;
        assert_true(pins_save(names[i], i % 2 ? CERT1 : CERT2, NULL, &cause));
        path = pins_path(names[i]);
        assert_non_null(path);
        parent = g_path_get_dirname(path);
        base = g_path_get_basename(path);
        assert_string_equal(parent, dir);
        assert_true(base[0] != '.');
        assert_null(strchr(base, '/'));
        g_free(parent);
        g_free(base);
        g_free(path);
    }
    /* one file per name: none overwrote another */
    assert_int_equal(entries(dir), (int)G_N_ELEMENTS(names));
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *fp = pins_fingerprint(names[i], &cause);
        assert_string_equal(fp, i % 2 ? CERT1_SHA256 : CERT2_SHA256);
        g_free(fp);
    }
    g_free(dir);
}

/* A directory made earlier with looser rights is tightened to 0700. */
static void
test_tightens_directory(void **state)
{
    char *cause = NULL, *dir = pins_dir();

    assert_int_equal(g_mkdir_with_parents(dir, 0755), 0);
    assert_int_equal(g_chmod(dir, 0755), 0);
    assert_true(pins_save("gina", CERT1, NULL, &cause));
    assert_int_equal(mode_of(dir), 0700);
    g_free(dir);
}

/* A file in the way of the directory gives a clear error. */
static void
test_unwritable(void **state)
{
    char *cause = NULL, *natter = g_build_filename(tmp, "natter", NULL);
    char *certs = g_build_filename(natter, "certs", NULL);

    assert_int_equal(g_mkdir_with_parents(natter, 0700), 0);
    assert_true(g_file_set_contents(certs, "in the way", -1, NULL));
    assert_false(pins_save("hal", CERT1, NULL, &cause));
    assert_contains(cause, "certs");
    g_free(cause);
    g_free(certs);
    g_free(natter);
}

/* The about text is kept before the certificate and read back. */
static void
test_about(void **state)
{
    char *cause = NULL, *about, *fp, *pem;

    assert_true(pins_save("ivy", CERT1,
                          "Subject: /CN=unit.example\r\n"
                          "-----BEGIN CERTIFICATE----- fake\n\n"
                          "SHA-256: " CERT1_SHA256,
                          &cause));
    about = pins_about("ivy");
    assert_string_equal(about, "Subject: /CN=unit.example \n"
                               "SHA-256: " CERT1_SHA256);
    pem = pins_load("ivy", &cause);
    assert_true(g_str_has_suffix(pem, CERT1));
    fp = pins_fingerprint("ivy", &cause);
    assert_string_equal(fp, CERT1_SHA256);
    assert_true(pins_save("jay", CERT2, NULL, &cause));
    assert_null(pins_about("jay"));
    assert_null(pins_about("nobody"));
    g_free(about);
    g_free(pem);
    g_free(fp);
}

/* Fingerprints written any way compare equal once normalised. */
static void
test_normalize(void **state)
{
    char *fp;

    fp = pins_fingerprint_normalize("763aa2e52c00655102a7f2785d987d3b0ed967a3"
                                    "64b6e7abff216ccf9f7db9ad");
    assert_string_equal(fp, CERT1_SHA256);
    g_free(fp);
    fp = pins_fingerprint_normalize("ab:CD ef-01");
    assert_string_equal(fp, "AB:CD:EF:01");
    g_free(fp);
    assert_null(pins_fingerprint_normalize("abc"));
    assert_null(pins_fingerprint_normalize("zz"));
    assert_null(pins_fingerprint_normalize(""));
    assert_null(pins_fingerprint_normalize(NULL));
}

/* Run the pin store tests, each in a fresh data directory. */
int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_dir_follows_xdg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_and_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fingerprint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replace_is_clean, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_first_of_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crlf_and_wrapping, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rejects_garbage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_are_escaped, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_tightens_directory, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_unwritable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_about, setup, teardown),
        cmocka_unit_test_setup_teardown(test_normalize, setup, teardown),
    };

    return cmocka_run_group_tests_name("pins", tests, NULL, NULL);
}
