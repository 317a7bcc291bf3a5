// The SCSI/MMC packet commands of AtapiCdrom (SPC-2 and MMC-2 numbering and layouts).
#include <algorithm>
#include <cstring>
#include <initializer_list>

#include "devices/ide/atapi_cdrom.h"

namespace lantern {

namespace {
enum Opcode : std::uint8_t {
    kTestUnitReady = 0x00,
    kRequestSense = 0x03,
    kInquiry = 0x12,
    kStartStopUnit = 0x1B,
    kPreventAllow = 0x1E,
    kReadCapacity = 0x25,
    kRead10 = 0x28,
    kReadToc = 0x43,
    kGetConfiguration = 0x46,
    kGetEventStatus = 0x4A,
    kModeSense10 = 0x5A,
    kRead12 = 0xA8,
};

std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
std::uint32_t be32(const std::uint8_t* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}
void put16(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
}
void put32(std::uint8_t* p, std::uint32_t v) {
    put16(p, v >> 16);
    put16(p + 2, v);
}
void put_padded(std::uint8_t* p, std::size_t n, const std::string& s) {
    for (std::size_t i = 0; i < n; ++i) p[i] = i < s.size() ? static_cast<std::uint8_t>(s[i]) : ' ';
}
// A CD address as the TOC gives it: an LBA, or minutes/seconds/frames counted from the start of
// the disc's 2-second pregap (MMC-2, "MSF addressing": LBA 0 is 00:02:00).
void put_address(std::uint8_t* p, std::uint64_t lba, bool msf) {
    if (!msf) {
        put32(p, static_cast<std::uint32_t>(lba));
        return;
    }
    const std::uint64_t f = lba + 150;
    p[0] = 0;
    p[1] = static_cast<std::uint8_t>(std::min<std::uint64_t>(f / (75 * 60), 255));
    p[2] = static_cast<std::uint8_t>((f / 75) % 60);
    p[3] = static_cast<std::uint8_t>(f % 75);
}
}  // namespace

bool AtapiCdrom::ready_or_fail() {
    if (media_present()) return true;
    // NOT READY, MEDIUM NOT PRESENT: tray closed (ASCQ 01h) or open (02h).
    check_condition(scsi::kNotReady, 0x3A, tray_open_ ? 0x02 : 0x01);
    return false;
}

void AtapiCdrom::reply(std::size_t length, std::size_t allocation) {
    stream_ = false;
    xfer_total_ = std::min(length, allocation);
    begin_data_in();
}

void AtapiCdrom::run_packet() {
    const std::uint8_t op = cdb_[0];
    // A pending unit attention fails the first command that is not allowed to bypass it.
    if (unit_attention_ && op != kInquiry && op != kRequestSense && op != kGetEventStatus) {
        unit_attention_ = false;
        check_condition(attention_.key, attention_.asc, attention_.ascq);
        return;
    }
    std::fill_n(buffer_.begin(), 512, std::uint8_t{0});  // replies are built from zeroes
    switch (op) {
        case kTestUnitReady:
            if (ready_or_fail()) finish_ok();
            break;
        case kRequestSense: cmd_request_sense(); break;
        case kInquiry: cmd_inquiry(); break;
        case kStartStopUnit: cmd_start_stop(); break;
        case kPreventAllow:
            locked_ = (cdb_[4] & 0x01) != 0;
            finish_ok();
            break;
        case kReadCapacity: cmd_read_capacity(); break;
        case kRead10: cmd_read(be32(&cdb_[2]), be16(&cdb_[7])); break;
        case kRead12: cmd_read(be32(&cdb_[2]), be32(&cdb_[6])); break;
        case kModeSense10: cmd_mode_sense(); break;
        case kReadToc: cmd_read_toc(); break;
        case kGetConfiguration: cmd_get_configuration(); break;
        case kGetEventStatus: cmd_event_status(); break;
        default: check_condition(scsi::kIllegalRequest, 0x20, 0x00); break;  // invalid opcode
    }
}

void AtapiCdrom::cmd_request_sense() {
    // Fixed-format sense data (SPC-2, 7.20.2). With nothing stored, a pending unit attention is
    // what REQUEST SENSE reports (and clears).
    Sense s = sense_;
    if (s.key == scsi::kNoSense && unit_attention_) {
        s = attention_;
        unit_attention_ = false;
    }
    std::uint8_t* b = buffer_.data();
    b[0] = 0x70;  // current error, fixed format
    b[2] = s.key;
    b[7] = 10;    // additional sense length
    b[12] = s.asc;
    b[13] = s.ascq;
    reply(18, cdb_[4]);
}

void AtapiCdrom::cmd_inquiry() {
    if (cdb_[1] & 0x01) {  // vital product data pages are not provided
        check_condition(scsi::kIllegalRequest, 0x24, 0x00);
        return;
    }
    std::uint8_t* b = buffer_.data();
    b[0] = 0x05;  // CD/DVD device
    b[1] = 0x80;  // removable medium
    b[2] = 0x00;  // no SCSI standard claimed (ATAPI)
    b[3] = 0x21;  // ATAPI version 2, response data format 1
    b[4] = 31;    // additional length: 36 bytes in all
    put_padded(b + 8, 8, config_.vendor);
    put_padded(b + 16, 16, config_.product);
    put_padded(b + 32, 4, config_.revision);
    reply(36, be16(&cdb_[3]));
}

void AtapiCdrom::cmd_start_stop() {
    const bool start = (cdb_[4] & 0x01) != 0;
    const bool load_eject = (cdb_[4] & 0x02) != 0;
    if (load_eject) {
        if (!start) {
            if (locked_) {  // ILLEGAL REQUEST, MEDIUM REMOVAL PREVENTED
                check_condition(scsi::kIllegalRequest, 0x53, 0x02);
                return;
            }
            if (!tray_open_ && media_) media_event_ = 3;
            tray_open_ = true;
        } else if (tray_open_) {
            tray_open_ = false;
            if (media_) {  // the disc comes back in: it may be another one
                media_event_ = 2;
                unit_attention_ = true;
                attention_ = {scsi::kUnitAttention, 0x28, 0x00};
            }
        }
    }
    finish_ok();
}

void AtapiCdrom::cmd_read_capacity() {
    if (!ready_or_fail()) return;
    const std::uint64_t cap = capacity();
    put32(buffer_.data(), static_cast<std::uint32_t>(cap ? std::min<std::uint64_t>(cap - 1, 0xFFFFFFFF) : 0));
    put32(buffer_.data() + 4, kCdSectorSize);
    reply(8, 8);
}

void AtapiCdrom::cmd_read(std::uint64_t lba, std::uint64_t count) {
    if (!ready_or_fail()) return;
    const std::uint64_t cap = capacity();
    if (lba > cap || count > cap - lba) {  // LOGICAL BLOCK ADDRESS OUT OF RANGE
        check_condition(scsi::kIllegalRequest, 0x21, 0x00);
        return;
    }
    stream_ = true;
    stream_lba_ = lba;
    xfer_total_ = count * kCdSectorSize;
    begin_data_in();
}

void AtapiCdrom::cmd_mode_sense() {
    const unsigned page = cdb_[2] & 0x3F;
    const unsigned control = cdb_[2] >> 6;  // 0 current, 1 changeable, 2 default, 3 saved
    if (control == 3) {  // SAVING PARAMETERS NOT SUPPORTED
        check_condition(scsi::kIllegalRequest, 0x39, 0x00);
        return;
    }
    if (page != 0x01 && page != 0x2A && page != 0x3F) {
        check_condition(scsi::kIllegalRequest, 0x24, 0x00);
        return;
    }
    std::uint8_t* b = buffer_.data();
    // 8-byte mode parameter header (MMC-2, 5.5.3): medium type 01h = 120 mm data disc,
    // 70h = door closed / no disc, 71h = door open.
    b[2] = media_present() ? 0x01 : (tray_open_ ? 0x71 : 0x70);
    std::size_t n = 8;
    const bool changeable = control == 1;  // nothing here can be changed: all-zero masks
    if (page == 0x01 || page == 0x3F) {    // read error recovery parameters
        b[n] = 0x01;
        b[n + 1] = 0x06;
        if (!changeable) b[n + 3] = 5;     // read retry count
        n += 8;
    }
    if (page == 0x2A || page == 0x3F) {    // CD capabilities and mechanical status (MMC-2, 5.5.10)
        std::uint8_t* p = b + n;
        p[0] = 0x2A;
        p[1] = 0x12;
        if (!changeable) {
            p[2] = 0x00;                   // reads CD-ROM (no CD-R/RW/DVD)
            p[4] = 0x71;                   // audio play, mode 2 form 1 and 2, multisession
            p[6] = static_cast<std::uint8_t>(0x29 | (locked_ ? 0x02 : 0));  // tray, eject, lock
            put16(p + 8, 4234);            // maximum read speed, kB/s (24x)
            put16(p + 10, 256);            // volume levels
            put16(p + 12, 512);            // buffer size, KiB
            put16(p + 14, 4234);           // current read speed
        }
        n += 20;
    }
    put16(b, static_cast<std::uint32_t>(n - 2));  // mode data length excludes itself
    reply(n, be16(&cdb_[7]));
}

void AtapiCdrom::cmd_read_toc() {
    if (!ready_or_fail()) return;
    const bool msf = (cdb_[1] & 0x02) != 0;
    unsigned format = cdb_[2] & 0x0F;
    if (format == 0) format = cdb_[9] >> 6;  // the SFF-8020 place for the format
    const unsigned track = cdb_[6];
    std::uint8_t* b = buffer_.data();
    std::size_t n = 4;
    b[2] = 1;  // first track / session
    b[3] = 1;  // last track / session
    if (format == 0) {
        if (track > 1 && track != 0xAA) {
            check_condition(scsi::kIllegalRequest, 0x24, 0x00);
            return;
        }
        if (track <= 1) {  // track 1: a data track (control 4, ADR 1) at LBA 0
            b[n + 1] = 0x14;
            b[n + 2] = 1;
            put_address(b + n + 4, 0, msf);
            n += 8;
        }
        b[n + 1] = 0x14;   // the lead-out, "track" AAh, just past the last sector
        b[n + 2] = 0xAA;
        put_address(b + n + 4, capacity(), msf);
        n += 8;
    } else if (format == 1) {  // multi-session information: one session starting at track 1
        b[n + 1] = 0x14;
        b[n + 2] = 1;
        put_address(b + n + 4, 0, msf);
        n += 8;
    } else {
        check_condition(scsi::kIllegalRequest, 0x24, 0x00);
        return;
    }
    put16(b, static_cast<std::uint32_t>(n - 2));
    reply(n, be16(&cdb_[7]));
}

void AtapiCdrom::cmd_get_configuration() {
    // GET CONFIGURATION (MMC-3, 5.6): an 8-byte header with the current profile, then feature
    // descriptors from the starting feature on. RT 0: all, 1: current ones, 2: only that one.
    const unsigned rt = cdb_[1] & 0x03;
    const unsigned start = be16(&cdb_[2]);
    if (rt == 3) {
        check_condition(scsi::kIllegalRequest, 0x24, 0x00);
        return;
    }
    const bool disc = media_present();
    std::uint8_t* b = buffer_.data();
    put16(b + 6, disc ? 0x0008 : 0x0000);  // current profile: CD-ROM
    std::size_t n = 8;
    auto feature = [&](unsigned code, bool current, std::uint8_t version, std::initializer_list<std::uint8_t> data) {
        if (code < start || (rt == 2 && code != start) || (rt == 1 && !current)) return;
        put16(b + n, code);
        b[n + 2] = static_cast<std::uint8_t>(version << 2 | 0x02 | (current ? 0x01 : 0));  // persistent
        b[n + 3] = static_cast<std::uint8_t>(data.size());
        std::copy(data.begin(), data.end(), b + n + 4);
        n += 4 + data.size();
    };
    feature(0x0000, true, 0, {0x00, 0x08, static_cast<std::uint8_t>(disc ? 0x01 : 0x00), 0x00});  // profile list
    feature(0x0001, true, 0, {0x00, 0x00, 0x00, 0x02});                     // core: ATAPI interface
    feature(0x0003, true, 0, {0x29, 0, 0, 0});  // removable medium: tray, eject, lock
    feature(0x0010, disc, 0, {0x00, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00, 0x00});  // random readable, 2048
    feature(0x001E, disc, 0, {});                                            // CD read
    put32(b, static_cast<std::uint32_t>(n - 4));  // data length excludes itself
    reply(n, be16(&cdb_[7]));
}

void AtapiCdrom::cmd_event_status() {
    // GET EVENT STATUS NOTIFICATION (MMC-3, 5.7), polled mode only; media class only.
    if (!(cdb_[1] & 0x01)) {
        check_condition(scsi::kIllegalRequest, 0x24, 0x00);
        return;
    }
    std::uint8_t* b = buffer_.data();
    b[3] = 0x10;  // supported classes: media
    std::size_t n = 4;
    if (cdb_[4] & 0x10) {
        b[2] = 0x04;  // media class
        b[4] = media_event_;
        b[5] = static_cast<std::uint8_t>((media_present() ? 0x02 : 0) | (tray_open_ ? 0x01 : 0));
        media_event_ = 0;
        n += 4;
    } else {
        b[2] = 0x80;  // NEA: no requested class is supported
    }
    put16(b, static_cast<std::uint32_t>(n - 2));
    reply(n, be16(&cdb_[7]));
}

}  // namespace lantern
