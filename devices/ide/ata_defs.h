// ATA/ATAPI register bits, command codes and the drive timing Lantern uses.
//
// Sources: ATA/ATAPI-6 (T13/1410D) sections 7 (register descriptions) and 8 (command
// descriptions); ATA-3 (X3T13/2008D) for the CHS-era commands; MMC-2 / SPC-2 for packet commands.
#pragma once

#include <cstdint>

namespace lantern::ata {

// Status register (ATA-6, 7.15).
inline constexpr std::uint8_t kStatusErr = 0x01;   // ERR (CHK for packet devices)
inline constexpr std::uint8_t kStatusDrq = 0x08;   // data request
inline constexpr std::uint8_t kStatusDsc = 0x10;   // device seek complete (obsolete; SERV on ATAPI)
inline constexpr std::uint8_t kStatusDf = 0x20;    // device fault
inline constexpr std::uint8_t kStatusDrdy = 0x40;  // device ready
inline constexpr std::uint8_t kStatusBsy = 0x80;   // busy

// Error register (ATA-6, 7.11).
inline constexpr std::uint8_t kErrorAmnf = 0x01;   // also: diagnostic code "passed" after reset
inline constexpr std::uint8_t kErrorAbrt = 0x04;   // command aborted
inline constexpr std::uint8_t kErrorIdnf = 0x10;   // ID not found: address out of range
inline constexpr std::uint8_t kErrorUnc = 0x40;    // uncorrectable data error

// Device Control register (ATA-6, 7.9).
inline constexpr std::uint8_t kControlNien = 0x02;
inline constexpr std::uint8_t kControlSrst = 0x04;
inline constexpr std::uint8_t kControlHob = 0x80;

// Device register bits (ATA-6, 7.10).
inline constexpr std::uint8_t kDeviceLba = 0x40;
inline constexpr std::uint8_t kDeviceDev = 0x10;

// Interrupt reason (the Sector Count register during PACKET; ATA-6, 8.21).
inline constexpr std::uint8_t kReasonCod = 0x01;   // command (1) or data (0)
inline constexpr std::uint8_t kReasonIo = 0x02;    // to the host (1) or to the device (0)

// Command codes.
enum Command : std::uint8_t {
    kNop = 0x00,
    kDeviceReset = 0x08,
    kRecalibrate = 0x10,          // 10h-1Fh
    kReadSectors = 0x20,
    kReadSectorsNoRetry = 0x21,
    kReadSectorsExt = 0x24,
    kReadDmaExt = 0x25,
    kReadMultipleExt = 0x29,
    kWriteSectors = 0x30,
    kWriteSectorsNoRetry = 0x31,
    kWriteSectorsExt = 0x34,
    kWriteDmaExt = 0x35,
    kWriteMultipleExt = 0x39,
    kReadVerify = 0x40,
    kReadVerifyNoRetry = 0x41,
    kReadVerifyExt = 0x42,
    kSeek = 0x70,                 // 70h-7Fh
    kExecuteDiagnostic = 0x90,
    kInitializeParameters = 0x91,
    kPacket = 0xA0,
    kIdentifyPacket = 0xA1,
    kReadMultiple = 0xC4,
    kWriteMultiple = 0xC5,
    kSetMultiple = 0xC6,
    kReadDma = 0xC8,
    kReadDmaNoRetry = 0xC9,
    kWriteDma = 0xCA,
    kWriteDmaNoRetry = 0xCB,
    kStandbyImmediate = 0xE0,
    kIdleImmediate = 0xE1,
    kStandby = 0xE2,
    kIdle = 0xE3,
    kCheckPowerMode = 0xE5,
    kSleep = 0xE6,
    kFlushCache = 0xE7,
    kFlushCacheExt = 0xEA,
    kIdentify = 0xEC,
    kSetFeatures = 0xEF,
};

// Timing. Real drives take milliseconds to seek; Lantern's drives answer like a drive with the
// data in its cache, fast enough that booting from an image does not crawl, slow enough that
// BSY, DRQ and the interrupt are separate, observable events a student can watch and a driver
// must wait for. All values in nanoseconds, converted to CPU cycles exactly by the channel.
inline constexpr std::uint64_t kCommandNs = 2'000;       // command written -> non-data result
inline constexpr std::uint64_t kAccessNs = 20'000;       // command written -> first block ready
inline constexpr std::uint64_t kSectorNs = 5'000;        // each further 512-byte sector
inline constexpr std::uint64_t kResetNs = 10'000;        // SRST released -> BSY clears
inline constexpr std::uint64_t kDmaNsPerByte = 60;       // multiword DMA mode 2: 120 ns per word
inline constexpr std::uint64_t kPacketDrqNs = 1'000;     // PACKET -> DRQ for the CDB (< 50 us)
inline constexpr std::uint64_t kAtapiCommandNs = 20'000; // CDB received -> result / first data
inline constexpr std::uint64_t kCdSectorNs = 20'000;     // each 2048-byte CD sector

}  // namespace lantern::ata
