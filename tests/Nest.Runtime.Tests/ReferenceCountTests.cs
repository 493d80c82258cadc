using Nest.Runtime.Tests.Seeds;
using Nest.Samples.Seeds;

namespace Nest.Runtime.Tests;

/// <summary>
/// The generated constants against published counts. Parameters = weights + biases; FLOPs = 2 x
/// multiply-accumulates of the weights (biases and pooling not counted), as in the NeST paper.
/// </summary>
public class ReferenceCountTests
{
    [Fact]
    public void LeNet300CountsMatchThePaper()
    {
        // 784*300+300 + 300*100+100 + 100*10+10 = 235,500 + 30,100 + 1,010
        Assert.Equal(266_610, LeNet300.ReferenceParameters);
        // 2 * (784*300 + 300*100 + 100*10) = 2 * 266,200
        Assert.Equal(532_400, LeNet300.ReferenceFlops);
    }

    [Fact]
    public void LeNet5CountsMatchCaffe()
    {
        // conv1 20*1*5*5+20 = 520; conv2 50*20*5*5+50 = 25,050; fc1 800*500+500 = 400,500; fc2 500*10+10 = 5,010
        Assert.Equal(431_080, LeNet5.ReferenceParameters);
        // 2 * (500*24*24 + 25,000*8*8 + 400,000 + 5,000) = 2 * (288,000 + 1,600,000 + 405,000)
        Assert.Equal(4_586_000, LeNet5.ReferenceFlops);
    }

    [Fact]
    public void AlexNetCountsMatchTorchvision()
    {
        // torchvision alexnet(): 23,296 + 307,392 + 663,936 + 884,992 + 590,080 (convs)
        //                        + 37,752,832 + 16,781,312 + 4,097,000 (fc 9216-4096-4096-1000)
        Assert.Equal(61_100_840, AlexNet.ReferenceParameters);
        // MACs: 64*3*121*55*55 + 192*64*25*27*27 + (384*192 + 256*384 + 256*256)*9*13*13
        //       + 9216*4096 + 4096*4096 + 4096*1000 = 714,188,480; FLOPs twice that (the paper rounds Caffe's to 1.5G)
        Assert.Equal(1_428_376_960, AlexNet.ReferenceFlops);
    }

    [Fact]
    public void Vgg16CountsMatchThePublishedModel()
    {
        // 14,714,688 in the 13 convolutions + 102,764,544 + 16,781,312 + 4,097,000 in fc6-fc8
        Assert.Equal(138_357_544, Vgg16.ReferenceParameters);
        // 15,470,264,320 MACs (the usual "15.5 GMACs" of VGG-16 at 224 x 224)
        Assert.Equal(30_940_528_640, Vgg16.ReferenceFlops);
    }

    [Fact]
    public void SeedWidthsFollowTheWidthScale()
    {
        // LeNet-300-100 at r = 0.4 is 120-40; the output layer keeps the class count.
        Assert.Equal(120, LeNet300.LayerConstants.Fc1.SeedWidth);
        Assert.Equal(40, LeNet300.LayerConstants.Fc2.SeedWidth);
        Assert.Equal(10, LeNet300.LayerConstants.Logits.SeedWidth);
        Assert.Equal(300, LeNet300.LayerConstants.Fc1.ReferenceWidth);
    }
}
