# What `cmake --install` puts where: the strata binary in bin/, and the man pages and shell
# completions that cmake/gen-docs.cmake generates from the built binary (after every link of
# `strata`, so they always match its --help) in share/man/man1 and the shells' vendor folders.
include(GNUInstallDirs)

install(TARGETS strata RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Completions and man pages, regenerated from the binary after every link.
set(STRATA_GENERATED_SHARE ${CMAKE_BINARY_DIR}/share)
add_custom_command(
  TARGET strata POST_BUILD
  # (leak checking off: an ASan build's exit-time report must not fail the build)
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          ${CMAKE_COMMAND} -DSTRATA=$<TARGET_FILE:strata> -DOUT=${STRATA_GENERATED_SHARE}
          -DVERSION=${PROJECT_VERSION} -P ${CMAKE_SOURCE_DIR}/cmake/gen-docs.cmake
  COMMENT "Man pages (help2man) and shell completions from strata's own command tree"
  VERBATIM)
install(DIRECTORY ${STRATA_GENERATED_SHARE}/man/man1/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
        FILES_MATCHING PATTERN "*.1")
install(FILES ${STRATA_GENERATED_SHARE}/completions/strata
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${STRATA_GENERATED_SHARE}/completions/_strata
        DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${STRATA_GENERATED_SHARE}/completions/strata.fish
        DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
