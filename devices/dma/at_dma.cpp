#include "devices/dma/at_dma.h"

namespace lantern {

AtDma::AtDma(DmaMemoryAccess memory)
    : dma1_("dma1", DmaWidth::Byte, 0, [this](unsigned ch) { return pages_.page_for_channel(ch); }, memory),
      dma2_("dma2", DmaWidth::Word, 4, [this](unsigned ch) { return pages_.page_for_channel(ch); }, memory) {
    dma1_.set_cascade_parent(&dma2_, 0);  // DMA1 HRQ -> DMA2 DREQ4, DMA2 DACK4 -> DMA1 HLDA
}

DmaChannel& AtDma::channel(unsigned n) { return n < 4 ? dma1_.channel(n) : dma2_.channel(n - 4); }

void AtDma::map(PortMap& ports) {
    ports.map(kDma1Port, 16, dma1_, "dma1");
    ports.map(kDma2Port, 32, dma2_, "dma2");
    ports.map(DmaPageRegisters::kFirstPort, DmaPageRegisters::kCount, pages_, "dma_pages");
}

void AtDma::reset() {
    dma1_.reset();
    dma2_.reset();
    pages_.reset();
}

void AtDma::inspect(StateVisitor& v) {
    StateGroup g(v, "dma");
    dma1_.inspect(v);
    dma2_.inspect(v);
    pages_.inspect(v);
}

}  // namespace lantern
