#!/usr/bin/env bash
# Builds the bootloader test images from Debian's own bootloader packages, at test time, without
# root, loop devices or mounting (issue 5):
#
#   syslinux-hd.img  MBR (syslinux mbr.bin) + one FAT16 partition at 1 MiB: SYSLINUX with menu.c32
#   grub-hd.img      MBR (GRUB boot.img) + core.img in the MBR gap + FAT16 partition with
#                    /boot/grub/{grub.cfg,i386-pc/*.mod}
#   isolinux.iso     El Torito no-emulation CD: ISOLINUX with a DISPLAY file and PROMPT 1
#   grub-cd.iso      El Torito no-emulation CD made by grub-mkrescue (GRUB reads the CD itself)
#
# Each boots Debian's 686 kernel (vmlinuz-686 from .ci/fetch-guests) with a tiny uncompressed
# initramfs (also left as initrd.img), console=ttyS0, after a 2-second menu timeout.
#
#   make_boot_images.sh OUT_DIR
#
# Exits 77 (ctest's "skipped") with a one-line reason when a tool or the kernel is absent, 1 on a
# real failure. Rebuilds only when the script or the kernel is newer than the images.
set -euo pipefail

out=${1:?usage: make_boot_images.sh OUT_DIR}
PATH=$PATH:/usr/sbin:/sbin   # mkfs.fat and sfdisk live there, outside a normal user's PATH
skip() { echo "make_boot_images: skipped: $*" >&2; exit 77; }
fail() { echo "make_boot_images: $*" >&2; exit 1; }

guests=${LANTERN_GUEST_DIR:-$HOME/.cache/lantern/guests}
kernel=$guests/vmlinuz-686
[[ -s $kernel ]] || skip "no $kernel (run .ci/fetch-guests)"

# Debian packages: syslinux (installer), syslinux-common (mbr.bin, *.c32), isolinux, mtools,
# dosfstools, fdisk (sfdisk), grub-pc-bin (+ grub-common: grub-mkimage), xorriso.
for tool in mkfs.fat mcopy mmd mformat sfdisk syslinux grub-mkimage grub-mkrescue xorriso; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (.ci/install-deps)"
done
syslinux_mbr=/usr/lib/syslinux/mbr/mbr.bin
syslinux_c32=/usr/lib/syslinux/modules/bios
isolinux_bin=/usr/lib/ISOLINUX/isolinux.bin
grub_dir=/usr/lib/grub/i386-pc
for f in "$syslinux_mbr" "$syslinux_c32/menu.c32" "$syslinux_c32/libutil.c32" "$syslinux_c32/ldlinux.c32" \
         "$isolinux_bin" "$grub_dir/boot.img" "$grub_dir/normal.mod"; do
  [[ -s $f ]] || skip "$f is missing (syslinux-common, isolinux, grub-pc-bin)"
done

mkdir -p "$out"
self=${BASH_SOURCE[0]}
up_to_date=1
for img in syslinux-hd.img grub-hd.img isolinux.iso grub-cd.iso initrd.img; do
  [[ -s $out/$img && $out/$img -nt $self && $out/$img -nt $kernel ]] || up_to_date=0
done
((up_to_date)) && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export MTOOLS_SKIP_CHECK=1   # mtools: do not insist the geometry matches a real floppy/disk

cmdline="console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 nokaslr"

# A tiny initramfs, uncompressed newc cpio (Linux Documentation/driver-api/early-userspace/
# buffer-format.rst): one file, so the bootloader's initrd handover shows in the kernel's
# "RAMDISK: [mem ...]" line without costing the guest any decompression.
cpio_entry() {  # name mode body inode
  local name=$1 mode=$2 body=$3 ino=$4
  local namesize=$((${#name} + 1)) filesize=${#body}
  printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
    "$ino" "$mode" 0 0 1 0 "$filesize" 0 0 0 0 "$namesize" 0
  printf '%s\0' "$name"
  local pad=$(( (4 - (110 + namesize) % 4) % 4 ))
  head -c "$pad" /dev/zero
  printf '%s' "$body"
  head -c $(( (4 - filesize % 4) % 4 )) /dev/zero
}
{
  cpio_entry lantern-initrd $((0100644)) "initramfs made by make_boot_images.sh" 1
  cpio_entry TRAILER!!! 0 "" 0
} > "$work/initrd.img"

# A FAT16 partition image (sectors of 512 bytes) starting at LBA 2048 of its disk; -h writes that
# into the BPB's hidden-sectors field, which DOS-style boot sectors add to their LBAs.
make_fat_partition() {  # file size_mib label
  truncate -s "$2M" "$1"
  mkfs.fat -F 16 -h 2048 -i 4C414E54 -n "$3" "$1" >/dev/null
}
# A disk with one bootable partition at 1 MiB, the partition file copied in, and the first 440
# bytes of the MBR (code only: the disk signature and partition table stay) from $3.
make_disk() {  # disk partition_file mbr_code size_mib type
  truncate -s "$4M" "$1"
  printf 'label: dos\nstart=2048, type=%s, bootable\n' "$5" | sfdisk --quiet "$1"
  dd if="$2" of="$1" bs=512 seek=2048 conv=notrunc status=none
  dd if="$3" of="$1" bs=440 count=1 conv=notrunc status=none
}

# --- SYSLINUX on FAT16 ----------------------------------------------------------------------------
part=$work/syslinux-part.img
make_fat_partition "$part" 15 LANTERNSYS
mcopy -i "$part" "$kernel" ::/vmlinuz
mcopy -i "$part" "$work/initrd.img" ::/initrd.img
mcopy -i "$part" "$syslinux_c32/menu.c32" "$syslinux_c32/libutil.c32" ::/
# TIMEOUT is in tenths of a second (syslinux doc/syslinux.txt).
cat > "$work/syslinux.cfg" <<EOF
UI menu.c32
PROMPT 0
TIMEOUT 20
MENU TITLE Lantern SYSLINUX test
LABEL linux
  MENU LABEL Debian 686 kernel via SYSLINUX
  KERNEL /vmlinuz
  INITRD /initrd.img
  APPEND $cmdline
EOF
mcopy -i "$part" "$work/syslinux.cfg" ::/syslinux.cfg
syslinux --install "$part"   # writes ldlinux.sys/ldlinux.c32 and the boot sector through mtools
make_disk "$work/syslinux-hd.img" "$part" "$syslinux_mbr" 16 6

# --- GRUB 2 (i386-pc) on FAT16 --------------------------------------------------------------------
part=$work/grub-part.img
make_fat_partition "$part" 15 LANTERNGRUB
mmd -i "$part" ::/boot ::/boot/grub ::/boot/grub/i386-pc
mcopy -i "$part" "$kernel" ::/boot/vmlinuz
mcopy -i "$part" "$work/initrd.img" ::/boot/initrd.img
mcopy -i "$part" "$grub_dir"/*.mod "$grub_dir"/*.lst ::/boot/grub/i386-pc/
cat > "$work/grub.cfg" <<EOF
set timeout=2
set default=0
menuentry 'Debian 686 kernel via GRUB' {
  echo 'Loading the kernel...'
  linux /boot/vmlinuz $cmdline
  initrd /boot/initrd.img
}
EOF
mcopy -i "$part" "$work/grub.cfg" ::/boot/grub/grub.cfg
# core.img: diskboot + the kernel + the modules to read the partition; the prefix says where
# normal.mod and grub.cfg are. It goes into the gap between the MBR and the partition (LBA 1..2047).
grub-mkimage -O i386-pc -d "$grub_dir" -o "$work/core.img" -p '(hd0,msdos1)/boot/grub' \
  biosdisk part_msdos fat normal linux configfile echo
core_sectors=$(( ($(stat -c %s "$work/core.img") + 511) / 512 ))
((core_sectors < 2047)) || fail "core.img ($core_sectors sectors) does not fit the MBR gap"
make_disk "$work/grub-hd.img" "$part" "$grub_dir/boot.img" 16 6
dd if="$work/core.img" of="$work/grub-hd.img" bs=512 seek=1 conv=notrunc status=none
# boot.img reads core.img's first sector from the LBA at offset 0x5C (GRUB's
# GRUB_BOOT_MACHINE_KERNEL_SECTOR; 1 by default) with the drive from DL (0xFF at 0x64); diskboot's
# blocklist (start 2, length = the rest of core.img) is what grub-mkimage already wrote for a
# core.img at LBA 1, so no patching is needed — check both rather than trust it.
kernel_sector=$(od -An -tu8 -j $((0x5C)) -N 8 "$work/grub-hd.img" | tr -d ' ')
[[ $kernel_sector == 1 ]] || fail "boot.img's kernel sector is $kernel_sector, not 1"
bl_start=$(od -An -tu8 -j $((512 + 0x1F4)) -N 8 "$work/grub-hd.img" | tr -d ' ')
bl_len=$(od -An -tu2 -j $((512 + 0x1FC)) -N 2 "$work/grub-hd.img" | tr -d ' ')
[[ $bl_start == 2 && $bl_len == $((core_sectors - 1)) ]] ||
  fail "core.img's blocklist is start $bl_start length $bl_len, expected 2 and $((core_sectors - 1))"

# --- ISOLINUX on an El Torito CD ------------------------------------------------------------------
iso=$work/iso
mkdir -p "$iso/isolinux"
cp "$isolinux_bin" "$syslinux_c32/ldlinux.c32" "$iso/isolinux/"
cp "$kernel" "$iso/vmlinuz"
cp "$work/initrd.img" "$iso/initrd.img"
printf 'Lantern ISOLINUX test: boot: linux (or wait)\r\n' > "$iso/isolinux/boot.msg"
cat > "$iso/isolinux/isolinux.cfg" <<EOF
DEFAULT linux
DISPLAY boot.msg
PROMPT 1
TIMEOUT 20
LABEL linux
  KERNEL /vmlinuz
  INITRD /initrd.img
  APPEND $cmdline
EOF
xorriso -as mkisofs -quiet -o "$work/isolinux.iso" -V LANTERN_ISOLINUX \
  -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
  "$iso" 2>/dev/null || fail "xorriso could not build isolinux.iso"

# --- GRUB 2 on an El Torito CD (grub-mkrescue: cdboot.img + core.img, no emulation) ------------
iso=$work/grub-iso
mkdir -p "$iso/boot/grub"
cp "$kernel" "$iso/boot/vmlinuz"
cp "$work/initrd.img" "$iso/boot/initrd.img"
sed "s/via GRUB'/via GRUB from CD'/" "$work/grub.cfg" > "$iso/boot/grub/grub.cfg"
grub-mkrescue -d "$grub_dir" -o "$work/grub-cd.iso" "$iso" >/dev/null 2>&1 ||
  fail "grub-mkrescue could not build grub-cd.iso"

# initrd.img too: the tests compare what the bootloaders loaded with it.
for img in syslinux-hd.img grub-hd.img isolinux.iso grub-cd.iso initrd.img; do
  mv "$work/$img" "$out/$img"
done
