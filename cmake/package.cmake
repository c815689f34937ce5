# `cpack -G DEB` (run from the build folder): a Debian 12 package of strata. Depends lists the
# runtime libraries the binary links (`ldd build/strata`), each mapped to its package with `dpkg -S`
# (tests/integration/tooling_install_test.cpp checks that the list still covers them).
# The local database (`strata db start`, `db reset`) needs the server; dump/restore and
# `strata test` use the client tools: recommended, not required (a CI runner pointed at a
# remote database needs neither).
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "strata")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "strata")
set(CPACK_PACKAGE_CONTACT "strata maintainers <strata@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "PostgreSQL schema migrations (Supabase-compatible), one native command")
set(CPACK_PACKAGE_DESCRIPTION
    "strata applies versioned SQL migrations to PostgreSQL atomically with their history rows, \
keeps Supabase's history table in step, lints migrations, reports drift and starts a local \
PostgreSQL 15 with Supabase's auth/storage objects, without Docker.")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")  # strata_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "database")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")

# The binary's NEEDED entries (objdump -p build/strata) and their packages (dpkg -S): libc.so.6
# libc6, libgcc_s.so.1 libgcc-s1, libstdc++.so.6 libstdc++6, libpq.so.5 libpq5, libcrypto.so.3
# libssl3, libfmt.so.9 libfmt9, libtomlplusplus.so.3 libtomlplusplus3 (libpg_query is static).
set(STRATA_DEB_DEPENDS
    "libc6 (>= 2.36), libgcc-s1 (>= 3.0), libstdc++6 (>= 12), libpq5 (>= 15), libssl3 (>= 3.0.0), libfmt9 (>= 9.1.0), libtomlplusplus3 (>= 3.3.0)")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${STRATA_DEB_DEPENDS}")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql-15, postgresql-client-15")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql-15-pgtap")
set(CPACK_STRIP_FILES ON)
include(CPack)
