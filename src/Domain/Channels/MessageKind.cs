namespace OneInbox.Domain.Channels;

/// <summary>What a message carries; the same set on every channel.</summary>
public enum MessageKind
{
    Text = 0,
    Image = 1,
    Audio = 2,
    Video = 3,
    Document = 4,
    Location = 5,
    ContactCard = 6,

    /// <summary>The customer pressed a button (quick reply) the business offered.</summary>
    ButtonReply = 7,
    Sticker = 8,

    /// <summary>Something that happened in the conversation rather than something said.</summary>
    SystemEvent = 9,
}
