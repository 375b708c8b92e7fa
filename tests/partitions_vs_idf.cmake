# partitions_vs_idf.cmake - our binary partition tables against ESP-IDF's own generator.
#
#   cmake -DTOOL=<fw_partition_tool> -DPYTHON=<python3> -DIDF=<ESP-IDF checkout>
#         -DSHIM=<tests/gen_esp32part_run.py> -DDIR=<tests/data/partitions> -DWORK=<scratch dir>
#         [-DBAD_DIR=<tests/bad/partitions>] [-DMMSIM=<mmsim>] -P partitions_vs_idf.cmake
#
# For every DIR/NAME.csv (with the options in NAME.args, if any) IDF's
# components/partition_table/gen_esp32part.py and fw_partition_tool each write the binary
# table; the two must be the same byte for byte.  Then our reader reads ESP-IDF's binary
# and writes it again, which must give the same bytes once more.  With BAD_DIR, every
# bad CSV there that our tool refuses must be refused by gen_esp32part.py too, except
# the ones listed in GEN_ACCEPTS (known, documented differences).  With MMSIM, every
# table ESP-IDF writes with --disable-md5sum (no MD5 record) is booted as a chip's
# partition table: with partition_table_md5=false the app finds each of its partitions
# where the table says; with the option on (ESP-IDF's default) mmsim refuses the table,
# naming the missing record.
cmake_minimum_required(VERSION 3.16)

foreach(v TOOL PYTHON IDF SHIM DIR WORK)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "partitions_vs_idf.cmake: -D${v}=... is required")
  endif()
endforeach()
# gen_esp32part.py cuts a label over 16 bytes to 16 without a word, reads UTF-16 and
# UTF-32 files with a byte-order mark, and writes a NUL inside a name into the label;
# we refuse all three.
set(GEN_ACCEPTS label-too-long.csv utf16.csv nul-character.csv)
file(MAKE_DIRECTORY ${WORK})

function(first_difference a b out)
  file(READ ${a} ha HEX)
  file(READ ${b} hb HEX)
  string(LENGTH "${ha}" la)
  string(LENGTH "${hb}" lb)
  set(i 0)
  while(i LESS la AND i LESS lb)
    string(SUBSTRING "${ha}" ${i} 2 ca)
    string(SUBSTRING "${hb}" ${i} 2 cb)
    if(NOT ca STREQUAL cb)
      math(EXPR byte "${i} / 2" OUTPUT_FORMAT HEXADECIMAL)
      set(${out} "first difference at byte ${byte}: ESP-IDF ${ca}, ours ${cb}" PARENT_SCOPE)
      return()
    endif()
    math(EXPR i "${i} + 2")
  endwhile()
  math(EXPR la "${la} / 2")
  math(EXPR lb "${lb} / 2")
  set(${out} "lengths differ: ESP-IDF ${la} bytes, ours ${lb}" PARENT_SCOPE)
endfunction()

function(read_args file out)
  set(args "")
  if(EXISTS ${file})
    file(READ ${file} args)
    string(STRIP "${args}" args)
    separate_arguments(args UNIX_COMMAND "${args}")
  endif()
  set(${out} "${args}" PARENT_SCOPE)
endfunction()

file(GLOB inputs RELATIVE ${DIR} ${DIR}/*.csv)
list(SORT inputs)
set(failures 0)
set(count 0)
foreach(csv IN LISTS inputs)
  math(EXPR count "${count} + 1")
  string(REGEX REPLACE "\\.csv$" "" name "${csv}")
  read_args(${DIR}/${name}.args args)
  set(idf_bin ${WORK}/${name}.idf.bin)
  set(our_bin ${WORK}/${name}.mmsim.bin)
  set(again_bin ${WORK}/${name}.again.bin)
  file(REMOVE ${idf_bin} ${our_bin} ${again_bin})
  execute_process(COMMAND ${PYTHON} ${SHIM} ${IDF} ${args} ${csv} ${idf_bin}
                  WORKING_DIRECTORY ${DIR} RESULT_VARIABLE idf_rc ERROR_VARIABLE idf_err TIMEOUT 60)
  execute_process(COMMAND ${TOOL} ${args} ${csv} ${our_bin}
                  WORKING_DIRECTORY ${DIR} RESULT_VARIABLE our_rc ERROR_VARIABLE our_err TIMEOUT 10)
  if(NOT idf_rc EQUAL 0 OR NOT our_rc EQUAL 0)
    message("FAIL ${csv}: gen_esp32part.py exit ${idf_rc} ${idf_err}  ours exit ${our_rc} ${our_err}")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${idf_bin} ${our_bin} RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    first_difference(${idf_bin} ${our_bin} why)
    message("FAIL ${csv}: the binaries differ: ${why}")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  execute_process(COMMAND ${TOOL} ${args} ${idf_bin} ${again_bin}
                  RESULT_VARIABLE again_rc ERROR_VARIABLE again_err TIMEOUT 10)
  if(NOT again_rc EQUAL 0)
    message("FAIL ${csv}: our reader refuses ESP-IDF's binary: ${again_err}")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${idf_bin} ${again_bin} RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    first_difference(${idf_bin} ${again_bin} why)
    message("FAIL ${csv}: ESP-IDF's binary read and written again differs: ${why}")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  if(DEFINED MMSIM AND "--disable-md5sum" IN_LIST args)
    execute_process(COMMAND ${TOOL} ${args} ${idf_bin} OUTPUT_VARIABLE listing RESULT_VARIABLE list_rc TIMEOUT 10)
    string(REGEX MATCHALL "[^\n]+" rows "${listing}")
    set(steps "")
    foreach(row IN LISTS rows)
      separate_arguments(f UNIX_COMMAND "${row}")
      list(GET f 0 label)
      list(GET f 3 offset)
      list(GET f 4 size)
      string(APPEND steps "{partition_find: {label: ${label}}, expect: {address: ${offset}, size: ${size}}}\n")
    endforeach()
    file(WRITE ${WORK}/${name}.steps "${steps}")
    execute_process(COMMAND ${MMSIM} shell --chip esp32c3 --set partition_table=${idf_bin}
                            --set partition_table_md5=false ${WORK}/${name}.steps
                    RESULT_VARIABLE off_rc OUTPUT_VARIABLE off_out ERROR_VARIABLE off_err TIMEOUT 30)
    execute_process(COMMAND ${MMSIM} shell --chip esp32c3 --set partition_table=${idf_bin} ${WORK}/${name}.steps
                    RESULT_VARIABLE on_rc OUTPUT_QUIET ERROR_VARIABLE on_err TIMEOUT 30)
    if(NOT list_rc EQUAL 0 OR NOT rows OR NOT off_rc EQUAL 0)
      message("FAIL ${csv}: ESP-IDF's table without MD5 record, booted with partition_table_md5=false: "
              "exit ${off_rc} ${off_out} ${off_err}")
      math(EXPR failures "${failures} + 1")
      continue()
    endif()
    if(NOT on_rc EQUAL 2 OR NOT on_err MATCHES "no MD5 record before the end marker")
      message("FAIL ${csv}: ESP-IDF's table without MD5 record, with partition_table_md5 on: exit ${on_rc} ${on_err}")
      math(EXPR failures "${failures} + 1")
      continue()
    endif()
    list(LENGTH rows nrows)
    message("same ${csv}; booted without its MD5 record (partition_table_md5=false): ${nrows} partitions found")
    continue()
  endif()
  message("same ${csv}")
endforeach()
if(count EQUAL 0)
  message(FATAL_ERROR "partitions_vs_idf.cmake: no *.csv in ${DIR}")
endif()

set(bad_count 0)
if(DEFINED BAD_DIR)
  file(GLOB bad_inputs RELATIVE ${BAD_DIR} ${BAD_DIR}/*.csv)
  list(SORT bad_inputs)
  foreach(csv IN LISTS bad_inputs)
    math(EXPR bad_count "${bad_count} + 1")
    string(REGEX REPLACE "\\.csv$" "" name "${csv}")
    read_args(${BAD_DIR}/${name}.args args)
    execute_process(COMMAND ${PYTHON} ${SHIM} ${IDF} ${args} ${csv} ${WORK}/bad-${name}.bin
                    WORKING_DIRECTORY ${BAD_DIR} RESULT_VARIABLE idf_rc ERROR_VARIABLE idf_err
                    OUTPUT_QUIET TIMEOUT 60)
    string(STRIP "${idf_err}" idf_err)
    string(REGEX REPLACE "\n.*" "" idf_first "${idf_err}")
    if(csv IN_LIST GEN_ACCEPTS)
      if(NOT idf_rc EQUAL 0)
        message("FAIL bad/${csv}: listed as accepted by gen_esp32part.py, which now refuses it: ${idf_err}")
        math(EXPR failures "${failures} + 1")
      else()
        message("known difference bad/${csv}: gen_esp32part.py accepts it")
      endif()
    elseif(idf_rc EQUAL 0)
      message("FAIL bad/${csv}: we refuse it, gen_esp32part.py accepts it")
      math(EXPR failures "${failures} + 1")
    else()
      message("both refuse bad/${csv} (gen_esp32part.py: ${idf_first})")
    endif()
  endforeach()
endif()

if(failures GREATER 0)
  message(FATAL_ERROR "${failures} partition tables differ from ESP-IDF's gen_esp32part.py")
endif()
message("all ${count} CSVs give the same binary as gen_esp32part.py; ${bad_count} bad CSVs refused by both")
