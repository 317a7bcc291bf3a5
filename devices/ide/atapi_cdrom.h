// AtapiCdrom: an ATAPI CD-ROM drive reading an ISO image (2048-byte sectors) - the PACKET
// command feature set of ATA/ATAPI-6 (sections 8.21 PACKET, 8.16 IDENTIFY PACKET DEVICE, 9.11
// "PACKET protocol") carrying SCSI/MMC commands (SPC-2, MMC-2).
//
// Protocol: PACKET (A0h) -> the drive asks for the 12-byte command packet with DRQ and interrupt
// reason CoD=1 IO=0 (no interrupt: IDENTIFY PACKET word 0 says "accelerated DRQ"). Data to the
// host goes in DRQ blocks of at most the host's byte count limit (Cylinder Low/High at PACKET
// time; made even, 0 read as FFFEh), each announced with the byte count in Cylinder Low/High,
// interrupt reason IO=1 CoD=0 and an interrupt; the status phase ends with IO=1 CoD=1, DRDY and an
// interrupt, ERR (CHK) set when the command failed. Features bit 0 selects DMA for the data.
//
// Packet commands: TEST UNIT READY, REQUEST SENSE, INQUIRY, START STOP UNIT, PREVENT ALLOW MEDIUM
// REMOVAL, READ CAPACITY, READ(10), READ(12), MODE SENSE(10) (pages 01h, 2Ah, 3Fh), READ TOC
// (formats 0 and 1, LBA or MSF), GET CONFIGURATION (profile list, core, removable medium, random
// readable, CD read), GET EVENT STATUS NOTIFICATION (polled, media class). Others: ILLEGAL
// REQUEST / INVALID COMMAND OPERATION CODE (05h/20h).
//
// Sense: a failing command leaves sense data for REQUEST SENSE and puts the sense key in the
// Error register's upper nibble (ABRT too for ILLEGAL REQUEST). Unit attention: after power-on
// (29h/00h) and after a medium change (28h/00h) the first command other than INQUIRY, REQUEST
// SENSE and GET EVENT STATUS NOTIFICATION fails with UNIT ATTENTION and clears it (SPC-2, 5.6.5).
// ATA commands other than the packet set abort with the ATAPI signature in the task file.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "devices/ide/ide_device.h"
#include "devices/storage/block_device.h"

namespace lantern {

struct AtapiConfig {
    std::string vendor = "LANTERN";      // INQUIRY, 8 characters
    std::string product = "CD-ROM";      // INQUIRY, 16 characters
    std::string revision = "1.0";        // INQUIRY and IDENTIFY firmware
    std::string model = "LANTERN CD-ROM";
    std::string serial = "LT0000000002";
};

namespace scsi {
inline constexpr std::uint8_t kNoSense = 0x00;
inline constexpr std::uint8_t kNotReady = 0x02;
inline constexpr std::uint8_t kMediumError = 0x03;
inline constexpr std::uint8_t kIllegalRequest = 0x05;
inline constexpr std::uint8_t kUnitAttention = 0x06;
}  // namespace scsi

class AtapiCdrom final : public IdeDevice {
public:
    static constexpr std::uint32_t kCdSectorSize = 2048;

    explicit AtapiCdrom(AtapiConfig config = {});

    bool packet_device() const override { return true; }

    // Loads a medium (the tray closes): unit attention "medium may have changed" and a new-media
    // event. False (nothing changes) unless the medium's sector size divides 2048.
    bool insert_media(BlockDevice& media);
    // Removes the medium as the user asks (the emulator's eject ignores the software lock).
    void eject_media();
    bool media_present() const { return media_ != nullptr && !tray_open_; }
    bool tray_open() const { return tray_open_; }
    bool locked() const { return locked_; }
    // Capacity in 2048-byte sectors (0 without a medium).
    std::uint64_t capacity() const;

    struct Sense {
        std::uint8_t key = 0;
        std::uint8_t asc = 0;
        std::uint8_t ascq = 0;
    };
    Sense sense() const { return sense_; }
    std::array<std::uint16_t, 256> identify_packet_data() const;

    std::uint64_t dma_transfer(DmaPort& port) override;
    void dma_burst_done() override;

    std::string_view inspect_name() const override { return "atapi_cdrom"; }

protected:
    void execute(std::uint8_t command) override;
    void event(std::uint8_t phase) override;
    void pio_done() override;
    void set_signature() override;
    void reset_command() override;
    void inspect_device(StateVisitor& v) override;

private:
    enum Phase : std::uint8_t {
        kPhaseExecute = 1,   // a non-packet ATA command
        kPhasePacketDrq = 2, // ask for the command packet
        kPhasePacket = 3,    // run the command packet
        kPhaseNextChunk = 4, // next DRQ block of data
        kPhaseDeviceReset = 5,
    };
    enum class Op : std::uint8_t { None, Identify, PacketCdb, DataIn };

    // atapi_cdrom.cpp: ATA side and the data phase.
    void run_ata_command();
    void abort_with_signature();
    void begin_data_in();
    void send_chunk();
    void finish_ok();
    void check_condition(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq);
    bool read_cd_sector(std::uint64_t lba, std::span<std::uint8_t> out);
    // Fills out with stream bytes [pos, pos + out.size()) of the READ in progress.
    bool read_stream(std::uint64_t pos, std::span<std::uint8_t> out);
    std::uint32_t chunk_limit() const;

    // atapi_commands.cpp: the packet commands.
    void run_packet();
    bool ready_or_fail();
    void reply(std::size_t length, std::size_t allocation);
    void cmd_request_sense();
    void cmd_inquiry();
    void cmd_start_stop();
    void cmd_read_capacity();
    void cmd_read(std::uint64_t lba, std::uint64_t count);
    void cmd_mode_sense();
    void cmd_read_toc();
    void cmd_get_configuration();
    void cmd_event_status();

    AtapiConfig config_;
    BlockDevice* media_ = nullptr;
    bool tray_open_ = false;
    bool locked_ = false;
    std::uint8_t media_event_ = 0;  // GESN media event code pending (0: none, 2 new, 3 removal)
    Sense sense_{};
    bool unit_attention_ = true;    // power-on
    Sense attention_{scsi::kUnitAttention, 0x29, 0x00};

    // The command in progress.
    Op op_ = Op::None;
    std::array<std::uint8_t, 12> cdb_{};
    bool dma_ = false;              // PACKET Features bit 0: data by DMA
    std::uint16_t byte_limit_ = 0;  // host's byte count limit for PIO DRQ blocks
    bool stream_ = false;           // data from the medium (READ) rather than a reply in buffer_
    std::uint64_t stream_lba_ = 0;
    std::uint64_t xfer_total_ = 0;  // bytes of the data phase
    std::uint64_t xfer_done_ = 0;
    std::uint32_t chunk_ = 0;       // bytes in the DRQ block being read by the host
    bool xfer_error_ = false;       // a medium read failed during DMA
};

}  // namespace lantern
