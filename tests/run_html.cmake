# `mmsim run --html DIR --junit FILE` on a suite with a failing scenario: exit 1, one
# page in DIR named from the JUnit test case, which lists it as its attachment; the
# page is self-contained and holds every step.
#   -DMMSIM=path -DSCENARIO=file -DOUT=dir
file(REMOVE_RECURSE ${OUT})
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${MMSIM} run ${SCENARIO} --html ${OUT}/pages --junit ${OUT}/junit.xml
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc STREQUAL 1)
  message(FATAL_ERROR "exit status ${rc}, expected 1\n${out}${err}")
endif()
file(GLOB pages ${OUT}/pages/*.html)
list(LENGTH pages n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one page, found ${n}: ${pages}")
endif()
get_filename_component(page ${pages} NAME)
file(READ ${OUT}/junit.xml junit)
string(REGEX MATCH "<testcase classname=\"[^\"]*\" name=\"[^\"]*\"[^>]*>[^<]*<failure[^>]*>[^<]*</failure>[^<]*<system-out>\\[\\[ATTACHMENT\\|[^]]*/${page}\\]\\]" found "${junit}")
if(NOT found)
  message(FATAL_ERROR "the JUnit test case does not list ${page}:\n${junit}")
endif()
file(READ ${pages} html)
if(NOT html MATCHES "^<!DOCTYPE html>" OR NOT html MATCHES "mmsimPage" OR html MATCHES "<script[^>]* src=")
  message(FATAL_ERROR "${page} is not a self-contained step-through page")
endif()
