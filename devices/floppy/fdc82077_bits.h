// Register and status bits of the 82077AA (datasheet section 2 "Registers" and Table 5-2
// "Status Registers"), shared by the Fdc82077 sources.
#pragma once

#include <cstdint>

namespace lantern::fdc {

// DOR.
inline constexpr std::uint8_t kDorSelect = 0x03;
inline constexpr std::uint8_t kDorNotReset = 0x04;
inline constexpr std::uint8_t kDorDmaGate = 0x08;  // AT mode: gates DRQ, DACK, TC and INT
inline constexpr std::uint8_t kDorMotor0 = 0x10;

// MSR.
inline constexpr std::uint8_t kMsrRqm = 0x80;
inline constexpr std::uint8_t kMsrDio = 0x40;
inline constexpr std::uint8_t kMsrNonDma = 0x20;
inline constexpr std::uint8_t kMsrBusy = 0x10;

// DSR.
inline constexpr std::uint8_t kDsrSwReset = 0x80;

// ST0: interrupt code (7-6), seek end, equipment check, head, drive select.
inline constexpr std::uint8_t kSt0Normal = 0x00;
inline constexpr std::uint8_t kSt0Abnormal = 0x40;
inline constexpr std::uint8_t kSt0Invalid = 0x80;
inline constexpr std::uint8_t kSt0Polling = 0xC0;
inline constexpr std::uint8_t kSt0SeekEnd = 0x20;
inline constexpr std::uint8_t kSt0EquipCheck = 0x10;
inline constexpr std::uint8_t kSt0Head = 0x04;

// ST1.
inline constexpr std::uint8_t kSt1EndOfCylinder = 0x80;
inline constexpr std::uint8_t kSt1DataError = 0x20;
inline constexpr std::uint8_t kSt1Overrun = 0x10;
inline constexpr std::uint8_t kSt1NoData = 0x04;
inline constexpr std::uint8_t kSt1NotWritable = 0x02;
inline constexpr std::uint8_t kSt1MissingAddressMark = 0x01;

// ST2.
inline constexpr std::uint8_t kSt2ControlMark = 0x40;
inline constexpr std::uint8_t kSt2DataErrorInData = 0x20;
inline constexpr std::uint8_t kSt2WrongCylinder = 0x10;
inline constexpr std::uint8_t kSt2BadCylinder = 0x02;

// ST3: bits 5 and 3 always read 1 on the 82077AA (READY and TWO SIDE are tied true).
inline constexpr std::uint8_t kSt3WriteProtect = 0x40;
inline constexpr std::uint8_t kSt3AlwaysOne = 0x28;
inline constexpr std::uint8_t kSt3Track0 = 0x10;
inline constexpr std::uint8_t kSt3Head = 0x04;

// Command opcodes (low five bits; datasheet Table 5-1).
inline constexpr std::uint8_t kCmdReadTrack = 0x02;
inline constexpr std::uint8_t kCmdSpecify = 0x03;
inline constexpr std::uint8_t kCmdSenseDrive = 0x04;
inline constexpr std::uint8_t kCmdWriteData = 0x05;
inline constexpr std::uint8_t kCmdReadData = 0x06;
inline constexpr std::uint8_t kCmdRecalibrate = 0x07;
inline constexpr std::uint8_t kCmdSenseInterrupt = 0x08;
inline constexpr std::uint8_t kCmdWriteDeleted = 0x09;
inline constexpr std::uint8_t kCmdReadId = 0x0A;
inline constexpr std::uint8_t kCmdReadDeleted = 0x0C;
inline constexpr std::uint8_t kCmdFormat = 0x0D;
inline constexpr std::uint8_t kCmdDumpreg = 0x0E;
inline constexpr std::uint8_t kCmdSeek = 0x0F;
inline constexpr std::uint8_t kCmdVersion = 0x10;
inline constexpr std::uint8_t kCmdPerpendicular = 0x12;
inline constexpr std::uint8_t kCmdConfigure = 0x13;
inline constexpr std::uint8_t kCmdLock = 0x14;
inline constexpr std::uint8_t kCmdVerify = 0x16;

inline constexpr std::uint8_t kFlagMt = 0x80;
inline constexpr std::uint8_t kFlagMfm = 0x40;
inline constexpr std::uint8_t kFlagSk = 0x20;

inline constexpr std::uint8_t kVersion82077 = 0x90;
inline constexpr unsigned kRecalibrateSteps = 79;  // datasheet 5.2.2

}  // namespace lantern::fdc
